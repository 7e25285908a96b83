"""Review every blame finding of a postmortem, and acknowledge the ones that stay."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import gates, permissions, selectors, services
from ..forms import BlameAcknowledgementForm


def postmortem_findings(request, pk):
    postmortem = selectors.visible_postmortem_or_404(request.user, pk)
    can_edit = permissions.can_edit_postmortem(request.user, postmortem)
    located = gates.postmortem_findings(postmortem)
    bound = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        bound = BlameAcknowledgementForm(request.POST)
        if bound.is_valid():
            data = bound.cleaned_data
            key = gates.acknowledgement_key(data["location"], data["rule"], data["phrase"])
            if key not in {f.key for f in located}:
                bound.add_error(None, _("This phrase is no longer in the postmortem."))
            else:
                try:
                    services.blame_acknowledge(
                        postmortem=postmortem,
                        location=data["location"],
                        rule=data["rule"],
                        phrase=data["phrase"],
                        reason=data["reason"],
                        by=request.user,
                    )
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        bound.add_error(field if field in bound.fields else None, errors)
                else:
                    messages.success(request, _("Acknowledged: “%(phrase)s”.") % data)
                    return redirect("postmortems:findings", pk=postmortem.pk)

    # One row per (location, rule, phrase): an acknowledgement covers every occurrence.
    rows = {}
    for item in located:
        row = rows.setdefault(item.key, {"item": item, "count": 0, "form": None})
        row["count"] += 1
    bound_key = None
    if bound is not None:
        bound_key = gates.acknowledgement_key(
            bound.data.get("location", ""), bound.data.get("rule", ""), bound.data.get("phrase", "")
        )
    for index, (key, row) in enumerate(rows.items(), start=1):
        if row["item"].acknowledged or not can_edit:
            continue
        auto_id = f"id_ack{index}_%s"
        if key == bound_key:
            bound.auto_id = auto_id
            row["form"] = bound
        else:
            item = row["item"]
            row["form"] = BlameAcknowledgementForm(
                initial={"location": item.location, "rule": item.rule, "phrase": item.phrase},
                auto_id=auto_id,
            )
    earlier = [
        a
        for a in selectors.postmortem_acknowledgements(postmortem)
        if gates.acknowledgement_key(a.location, a.rule, a.phrase) not in rows
    ]
    open_rows = [r for r in rows.values() if not r["item"].acknowledged]
    return render(
        request,
        "postmortems/findings.html",
        {
            "postmortem": postmortem,
            "rows": list(rows.values()),
            "open_count": len(open_rows),
            "can_edit": can_edit,
            "earlier_acknowledgements": earlier,
            "form_error": bound is not None and bound.errors and bound_key not in rows,
            "bound": bound,
        },
        status=400 if bound is not None and bound.errors else 200,
    )
