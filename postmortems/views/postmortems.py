"""Postmortem pages: list, read, write (with version conflicts), export, history, workflow."""

import difflib

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import markdown, permissions, selectors, services
from ..comment_places import place_threads
from ..export import postmortem_markdown
from ..forms import NotRequiredForm, PostmortemFilterForm, PostmortemForm, ReviewCommentForm
from ..models import AuditEvent, Postmortem, Team

PAGE_SIZE = 25


def _visible_or_404(request, pk):
    return selectors.visible_postmortem_or_404(request.user, pk)


def _editable_or_404(request, pk):
    postmortem = selectors.postmortem_for_edit(request.user, pk)
    if postmortem is None:
        raise Http404
    return postmortem


# --- List -----------------------------------------------------------------------------------


def postmortem_list(request):
    form = PostmortemFilterForm(request.GET or None)
    results = selectors.postmortem_search(request.user, **form.search_arguments())
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(v for k, v in request.GET.items() if k not in ("page", "sort"))
    anything_visible = page.paginator.count > 0 or (
        filtered and selectors.visible_postmortems(request.user).exists()
    )
    return render(
        request,
        "postmortems/list.html",
        {
            "form": form,
            "page": page,
            "filtered": filtered,
            "anything_visible": anything_visible,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Read -----------------------------------------------------------------------------------


def render_detail(request, postmortem, *, comment_form=None, status=200):
    """The read view for a postmortem loaded by ``selectors.postmortem_for_detail``."""
    user = request.user
    threads = selectors.comment_threads(postmortem)
    placed = place_threads(
        threads, events=postmortem.timeline_events.all(), factors=postmortem.factors.all()
    )
    context = {
        "postmortem": postmortem,
        "timeline_events": postmortem.timeline_events.all(),
        "factors": postmortem.factors.all(),
        "action_items": postmortem.action_items.all(),
        "threads": placed.elsewhere,
        "section_threads": placed.by_section,
        "unresolved_count": sum(1 for t in threads if not t.resolved),
        "can_edit": permissions.can_edit_postmortem(user, postmortem),
        "can_publish": permissions.can_publish_postmortem(user, postmortem),
        "comment_form": comment_form or ReviewCommentForm(),
        "not_required_form": NotRequiredForm(),
        "sections": [
            (
                name,
                Postmortem._meta.get_field(name).verbose_name,
                getattr(postmortem, f"{name}_html"),
                placed.by_section.get(name, []),
            )
            for name in Postmortem.SECTIONS
        ],
        "findings_url": _findings_url(postmortem),
    }
    return render(request, "postmortems/detail.html", context, status=status)


def postmortem_detail(request, pk):
    postmortem = selectors.postmortem_for_detail(request.user, pk)
    if postmortem is None:
        raise Http404
    return render_detail(request, postmortem)


# --- Write ----------------------------------------------------------------------------------


def postmortem_create(request):
    form = PostmortemForm(request.POST or None, user=request.user)
    if not form.fields["team"].queryset.exists():
        messages.info(request, _("Join a team first: postmortems belong to a team."))
    if request.method == "POST" and form.is_valid():
        try:
            postmortem = services.postmortem_create(data=form.service_data(), by=request.user)
        except services.ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(postmortem)
    return render(
        request,
        "postmortems/form.html",
        {"form": form, "postmortem": None},
        status=400 if form.errors else 200,
    )


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def postmortem_edit(request, pk):
    postmortem = _editable_or_404(request, pk)
    if request.method != "POST":
        form = PostmortemForm(
            instance=postmortem, initial={"version": postmortem.version}, user=request.user
        )
        return render(request, "postmortems/form.html", {"form": form, "postmortem": postmortem})

    form = PostmortemForm(request.POST, instance=postmortem, user=request.user)
    if form.is_valid():
        expected = form.cleaned_data["version"]
        try:
            services.postmortem_update(
                postmortem=postmortem,
                data=form.service_data(),
                by=request.user,
                expected_version=expected,
            )
        except services.PostmortemVersionConflict as conflict:
            return _render_conflict(request, form, conflict.current, expected)
        except services.ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(postmortem)
    return render(
        request, "postmortems/form.html", {"form": form, "postmortem": postmortem}, status=400
    )


def _render_conflict(request, form, current, expected):
    """409: someone saved first. Keep every word the user typed and show theirs beside it.

    A three-way comparison with the version the user started from decides: fields only
    the other person changed take their value, fields only this user changed keep the
    user's, and sections both changed are shown side by side for merging.
    """
    base = current.history.filter(version=expected).order_by("-history_date", "-history_id").first()
    mine = form.cleaned_data
    merged = {"version": current.version}
    conflicts = []
    other_changes = []
    for name in services.POSTMORTEM_EDITABLE_FIELDS:
        theirs = getattr(current, name)
        my_value = mine.get(name)
        base_value = getattr(base, name) if base is not None else None
        if name == "team":
            theirs, my_value = current.team_id, my_value.pk if my_value else None
            base_value = base.team_id if base is not None else None
        only_they_changed = base is not None and my_value == base_value
        only_i_changed = base is not None and theirs == base_value
        merged[name] = theirs if (my_value == theirs or only_they_changed) else my_value
        both_changed = my_value != theirs and not (only_they_changed or only_i_changed)
        if both_changed and name not in Postmortem.SECTIONS:
            # Short fields: the form keeps the user's value; say what the other person saved.
            shown = current.team.name if name == "team" else _readable(name, theirs, {})
            other_changes.append(
                {"label": Postmortem._meta.get_field(name).verbose_name, "theirs": shown}
            )
        if name in Postmortem.SECTIONS and both_changed:
            conflicts.append(
                {
                    "name": name,
                    "label": Postmortem._meta.get_field(name).verbose_name,
                    "theirs": theirs,
                    "mine": my_value,
                }
            )
    for name in services.POSTMORTEM_M2M_FIELDS:
        merged[name] = [person.pk for person in mine.get(name, [])]
    merged_form = PostmortemForm(instance=current, initial=merged, user=request.user)
    editor = None
    latest = current.history.select_related("history_user").order_by("-history_date").first()
    if latest is not None:
        editor = latest.history_user
    return render(
        request,
        "postmortems/conflict.html",
        {
            "form": merged_form,
            "postmortem": current,
            "conflicts": conflicts,
            "other_changes": other_changes,
            "editor": editor,
            "edited_at": latest.history_date if latest else None,
        },
        status=409,
    )


@require_POST
def postmortem_preview(request):
    """Rendered Markdown for the live preview (htmx). Same renderer as the saved page."""
    field = request.POST.get("preview_field", "")
    text = request.POST.get(field if field in Postmortem.SECTIONS else "text", "")
    text = text[: settings.POSTMORTEM_SECTION_MAX_CHARS]
    html = markdown.render(text)
    if not html:
        html = format_html('<p class="text-body-secondary">{}</p>', _("Nothing to preview yet."))
    return HttpResponse(html)


# --- Export and history -----------------------------------------------------------------------


def postmortem_export(request, pk):
    postmortem = selectors.postmortem_for_detail(request.user, pk)
    if postmortem is None:
        raise Http404
    services.audit_record(
        action=AuditEvent.Action.EXPORT_MARKDOWN,
        actor=request.user,
        team=postmortem.team,
        target=postmortem,
    )
    response = HttpResponse(
        postmortem_markdown(postmortem), content_type="text/markdown; charset=utf-8"
    )
    name = slugify(postmortem.title, allow_unicode=True)[:60] or "postmortem"
    response["Content-Disposition"] = content_disposition_header(
        True, f"postmortem-{postmortem.pk}-{name}.md"
    )
    return response


HISTORY_IGNORED = {"version", "created_by", "not_required_reason"}


PEOPLE_FIELDS = ("authors", "reviewers", "viewers")


def _people(user_ids, names):
    return ", ".join(sorted(names.get(pk, f"#{pk}") for pk in user_ids)) or "—"


def _readable(name, value, teams):
    if value in (None, ""):
        return "—"
    if name == "team":
        return teams.get(value, f"#{value}")
    field = Postmortem._meta.get_field(name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")
    return str(value)


def _text_diff(old, new):
    lines = list(
        difflib.unified_diff((old or "").splitlines(), (new or "").splitlines(), lineterm="", n=1)
    )[2:]  # the "---"/"+++" file headers
    # Hunk headers ("@@ -1 +1 @@") mean nothing to readers; a gap marker is enough.
    return ["…" if line.startswith("@@") else line for line in lines][1:]


def postmortem_history(request, pk):
    postmortem = _visible_or_404(request, pk)
    records = list(selectors.postmortem_history(postmortem))
    people_by_record = selectors.postmortem_history_people(records)
    teams = dict(Team.objects.values_list("pk", "name"))
    names = selectors.people_names(
        user_id
        for fields in people_by_record.values()
        for user_ids in fields.values()
        for user_id in user_ids
    )
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(
                previous, excluded_fields=HISTORY_IGNORED | set(PEOPLE_FIELDS)
            )
            for change in delta.changes:
                label = Postmortem._meta.get_field(change.field).verbose_name
                if change.field in Postmortem.SECTIONS:
                    changes.append({"label": label, "diff": _text_diff(change.old, change.new)})
                else:
                    changes.append(
                        {
                            "label": label,
                            "old": _readable(change.field, change.old, teams),
                            "new": _readable(change.field, change.new, teams),
                        }
                    )
            now, before = people_by_record[record.history_id], people_by_record[previous.history_id]
            for name in PEOPLE_FIELDS:
                if now[name] != before[name]:
                    changes.append(
                        {
                            "label": Postmortem._meta.get_field(name).verbose_name,
                            "old": _people(before[name], names),
                            "new": _people(now[name], names),
                        }
                    )
        entries.append({"record": record, "changes": changes, "created": previous is None})
    return render(
        request,
        "postmortems/history.html",
        {"postmortem": postmortem, "entries": entries},
    )


# --- Workflow -------------------------------------------------------------------------------


def _findings_url(postmortem):
    return reverse("postmortems:findings", args=[postmortem.pk])


def _transition(request, pk, action):
    postmortem = _visible_or_404(request, pk)
    try:
        action(postmortem)
    except services.PostmortemNeedsConfirmation as exc:
        return render(
            request,
            "postmortems/publish_confirm.html",
            {"postmortem": postmortem, "message": exc.message, "count": exc.unresolved_count},
        )
    except services.PostmortemHasFindings as exc:
        messages.error(
            request,
            format_html(
                '{} {} <a href="{}">{}</a>',
                _("Not published."),
                exc.message,
                _findings_url(postmortem),
                _("Review the findings"),
            ),
        )
    except services.PostmortemTransitionError as exc:
        messages.error(request, exc.message)
    else:
        return None
    return redirect(postmortem)


@require_POST
def postmortem_submit(request, pk):
    response = _transition(
        request,
        pk,
        lambda pm: services.postmortem_submit_for_review(postmortem=pm, by=request.user),
    )
    if response is None:
        messages.success(request, _("Sent for review. Reviewers see it on their home page."))
        response = redirect("postmortems:detail", pk=pk)
    return response


@require_POST
def postmortem_publish(request, pk):
    confirm = request.POST.get("confirm_unresolved") == "1"
    response = _transition(
        request,
        pk,
        lambda pm: services.postmortem_publish(
            postmortem=pm, by=request.user, confirm_unresolved=confirm
        ),
    )
    if response is None:
        messages.success(request, _("Published. The team is told on Slack."))
        response = redirect("postmortems:detail", pk=pk)
    return response


@require_POST
def postmortem_not_required(request, pk):
    reason = request.POST.get("reason", "")
    response = _transition(
        request,
        pk,
        lambda pm: services.postmortem_mark_not_required(
            postmortem=pm, by=request.user, reason=reason
        ),
    )
    if response is None:
        messages.success(request, _("Marked as not required."))
        response = redirect("postmortems:detail", pk=pk)
    return response


@require_POST
def postmortem_reopen(request, pk):
    response = _transition(
        request, pk, lambda pm: services.postmortem_reopen(postmortem=pm, by=request.user)
    )
    if response is None:
        messages.success(request, _("Back to draft."))
        response = redirect("postmortems:detail", pk=pk)
    return response
