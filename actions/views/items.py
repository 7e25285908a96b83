"""Action item pages: create (full page or inline on the postmortem page), detail/edit and
status changes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from postmortems.fields import parse_id
from postmortems.permissions import can_edit_postmortem
from postmortems.selectors import visible_postmortem_or_404

from .. import selectors, services
from ..forms import ActionItemForm, InlineActionItemForm, StatusChangeForm
from ..models import ActionItem


def _add_service_errors(form, exc):
    """Put a service's ValidationError on the form: on its field when there is one."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _editable_postmortem_or_404(request, pk):
    postmortem = visible_postmortem_or_404(request.user, pk)
    if not can_edit_postmortem(request.user, postmortem):
        raise PermissionDenied
    return postmortem


def _render_postmortem_actions(request, postmortem, form, status=200):
    return render(
        request,
        "actions/partials/_postmortem_actions.html",
        {
            "postmortem": postmortem,
            "action_items": selectors.action_items_for_postmortem(postmortem),
            "can_edit": True,
            "inline_form": form,
        },
        status=status,
    )


def action_item_create(request, pk):
    """``/postmortems/<pk>/actions/new/``: the full form, or the inline one posted by htmx."""
    postmortem = _editable_postmortem_or_404(request, pk)
    inline = request.POST.get("inline") == "1"
    form_class = InlineActionItemForm if inline else ActionItemForm
    initial = {}
    factor = parse_id(request.GET.get("factor", ""))
    if factor and postmortem.factors.filter(pk=factor).exists():
        initial["factor"] = factor
    priority = request.GET.get("priority", "")
    if priority in ActionItem.Priority.values:
        initial["priority"] = priority
    form = form_class(request.POST or None, postmortem=postmortem, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.action_item_create(
                    postmortem=postmortem, by=request.user, **form.service_fields()
                )
            except ValidationError as exc:
                _add_service_errors(form, exc)
            else:
                if request.htmx:
                    return _render_postmortem_actions(
                        request, postmortem, InlineActionItemForm(postmortem=postmortem)
                    )
                messages.success(request, _("Action item created."))
                return redirect(item)
        if request.htmx and inline:
            # htmx swaps only 2xx answers; the form comes back with its errors.
            return _render_postmortem_actions(request, postmortem, form)
    return render(
        request,
        "actions/item_form.html",
        {"postmortem": postmortem, "form": form},
        status=400 if form.errors else 200,
    )


def _item_or_404(request, pk):
    item = selectors.action_item_for_detail(request.user, pk)
    if item is None:
        raise Http404
    return item


def action_item_detail(request, pk):
    """``/actions/<pk>/``: the item, its edit form, status buttons, history and reminders."""
    item = _item_or_404(request, pk)
    can_edit = can_edit_postmortem(request.user, item.postmortem)
    form = None
    status = 200
    if can_edit:
        form = ActionItemForm(request.POST or None, instance=item, postmortem=item.postmortem)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.action_item_update(item=item, by=request.user, **form.service_fields())
                except ValidationError as exc:
                    _add_service_errors(form, exc)
                else:
                    messages.success(request, _("Action item saved."))
                    return redirect(item)
            item.refresh_from_db()
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "actions/item_detail.html",
        {
            "item": item,
            "form": form,
            "can_edit": can_edit,
            "available_actions": _available_actions(item) if can_edit else [],
            "history": _history_rows(selectors.action_item_history(item)),
            "reminders": selectors.action_item_reminders(item),
        },
        status=status,
    )


@require_POST
def action_item_change_status(request, pk):
    """POST ``action`` (start, block, complete, wont_do, reopen) and, when needed, ``reason``."""
    item = _item_or_404(request, pk)
    if not can_edit_postmortem(request.user, item.postmortem):
        raise PermissionDenied
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status change."))
        return redirect(item)
    try:
        services.action_item_transition(
            item=item,
            by=request.user,
            action=form.cleaned_data["action"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Status is now “%(status)s”.") % {"status": item.get_status_display()},
        )
    return redirect(item)


STATUS_BUTTONS = (
    # action, label, needs a reason, button style
    ("start", gettext_lazy("Start"), False, "btn-primary"),
    ("complete", gettext_lazy("Mark done"), False, "btn-success"),
    ("block", gettext_lazy("Blocked…"), True, "btn-outline-warning"),
    ("wont_do", gettext_lazy("Won't do…"), True, "btn-outline-secondary"),
    ("reopen", gettext_lazy("Reopen"), False, "btn-outline-primary"),
)


def _available_actions(item):
    return [
        {"action": action, "label": label, "needs_reason": needs_reason, "style": style}
        for action, label, needs_reason, style in STATUS_BUTTONS
        if item.status in services.TRANSITIONS[action][0]
    ]


HISTORY_FIELDS = (
    "title",
    "status",
    "status_reason",
    "priority",
    "kind",
    "due_date",
    "team_id",
    "assignee_id",
    "tracker_url",
    "notes",
    "factor_id",
    "completed_at",
)


def _history_rows(records):
    """Pair each history row with what changed since the one before (newest first)."""
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changed = []
        if previous is not None:
            for name in HISTORY_FIELDS:
                if getattr(record, name) != getattr(previous, name):
                    field = record.instance_type._meta.get_field(name.removesuffix("_id"))
                    changed.append(str(field.verbose_name))
        rows.append({"record": record, "changed": changed})
    return rows
