"""The incident timeline: inline add/edit/delete/pin (htmx) and paste-import with a preview.

Without JavaScript every form posts normally and redirects back to the postmortem; with
htmx the same URLs answer with the re-rendered timeline (or the form with its errors).
"""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import incident_window, selectors, services
from ..forms import TimelineEventForm, TimelineImportForm
from ..timeline import LineError, day_groups, parse_timeline
from .access import editable_postmortem, readable_postmortem
from .htmx import InlineSection

PARTIAL = "postmortems/partials/_timeline.html"
FORM_PARTIAL = "postmortems/partials/_timeline_event_form.html"
ROW_PARTIAL = "postmortems/partials/_timeline_event_row.html"
IMPORT_PARTIAL = "postmortems/partials/_timeline_import.html"


TIMELINE = InlineSection(
    name="timeline",
    partial=PARTIAL,
    rows_name="timeline_events",
    rows=selectors.postmortem_timeline,
    form_partial=FORM_PARTIAL,
    item_name="event",
    form_id="timeline-form",
    add_heading=gettext_lazy("Add a timeline event"),
    edit_heading=gettext_lazy("Edit timeline event"),
    retarget_blank_forms=False,
    row_anchor="timeline-event",
    row_partial=ROW_PARTIAL,
    edit_partial="postmortems/partials/_timeline_event_edit.html",
    tools_partial="postmortems/partials/_timeline_event_tools.html",
)


def _event_fields(form):
    return {name: form.cleaned_data[name] for name in ("occurred_at", "kind", "text")}


def timeline_list(request, pk):
    """The timeline section (htmx; ``?edit=1``: with each row's Edit link), or the timeline
    on a page of its own, where editors find the Edit links without JavaScript."""
    postmortem = readable_postmortem(request, pk)
    if request.htmx:
        editing = request.GET.get("edit") == "1"
        # The focus stays on the toggle, which the swap replaced with "Done editing".
        context = TIMELINE.context(request, postmortem, editing=editing, focus_done=editing)
        return render(request, PARTIAL, context)
    context = TIMELINE.context(request, postmortem, editing=True)
    return render(request, "postmortems/timeline.html", context)


@require_http_methods(["GET", "POST"])
def timeline_add(request, pk):
    postmortem = editable_postmortem(request, pk)
    form = TimelineEventForm(request.POST or None, postmortem=postmortem)
    return TIMELINE.submit(
        request,
        postmortem,
        form,
        lambda: services.timeline_event_create(
            postmortem=postmortem, by=request.user, **_event_fields(form)
        ),
    )


@require_http_methods(["GET", "POST"])
def timeline_edit(request, pk, event_id):
    postmortem = editable_postmortem(request, pk)
    event = get_object_or_404(postmortem.timeline_events, pk=event_id)
    initial = {"occurred_at": event.occurred_at, "kind": event.kind, "text": event.text}
    form = TimelineEventForm(
        request.POST or None, initial=initial, prefix_id=event.pk, postmortem=postmortem
    )
    if request.method == "GET":
        # htmx: the edit form takes the event's place (its row is the client's target).
        return TIMELINE.edit_form(request, postmortem, form, event)
    return TIMELINE.submit(
        request,
        postmortem,
        form,
        lambda: services.timeline_event_update(event=event, by=request.user, **_event_fields(form)),
        event,
    )


@require_GET
def timeline_event(request, pk, event_id):
    """One event read-only: what the edit form's Cancel swaps back in (htmx)."""
    postmortem = readable_postmortem(request, pk)
    event = get_object_or_404(postmortem.timeline_events, pk=event_id)
    return TIMELINE.row(request, postmortem, event, rows=day_groups([event])[0]["rows"])


@require_http_methods(["GET", "POST"])
def timeline_delete(request, pk, event_id):
    postmortem = editable_postmortem(request, pk)
    event = get_object_or_404(postmortem.timeline_events, pk=event_id)
    if request.method == "POST":
        services.timeline_event_delete(event=event, by=request.user)
        if not request.htmx:
            messages.success(request, _("The timeline event was deleted."))
        return TIMELINE.after_write(request, postmortem)
    local = timezone.localtime(event.occurred_at)
    return render(
        request,
        "postmortems/inline_confirm_delete.html",
        {
            "postmortem": postmortem,
            "heading": _("Delete this timeline event?"),
            "summary": f"{local:%Y-%m-%d %H:%M} {local.tzname()} · "
            f"{event.get_kind_display()} · {event.text[:300]}",
            "note": _("The change is kept in the postmortem's history."),
            "action": request.path,
            "cancel_url": postmortem.get_absolute_url() + "#timeline",
        },
    )


@require_POST
def timeline_pin(request, pk, event_id):
    postmortem = editable_postmortem(request, pk)
    event = get_object_or_404(postmortem.timeline_events, pk=event_id)
    pinned = request.POST.get("pinned", "1" if not event.pinned else "0") == "1"
    services.timeline_event_set_pinned(event=event, by=request.user, pinned=pinned)
    return TIMELINE.after_write(request, postmortem)


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _screen(result, postmortem):
    """Future lines become bad lines (the service would refuse them); each good line comes
    with the warning it would get if it is far outside the incident."""
    events, errors = [], list(result.errors)
    for event in result.events:
        if reason := incident_window.future_error(event.occurred_at):
            errors.append(LineError(event.line_no, "", reason))
        else:
            events.append(event)
    warn = incident_window.outside_warning
    rows = [(event, warn(postmortem, event.occurred_at)) for event in events]
    return rows, sorted(errors, key=lambda e: e.line_no)


def _first_day(postmortem):
    """Lines with a time alone, before any date, fall on the incident's first day."""
    if postmortem.started_at is None:
        return None
    return timezone.localtime(postmortem.started_at).date()


@require_http_methods(["GET", "POST"])
def timeline_import(request, pk):
    """Paste lines, see a preview (and every bad line with its number), then save.

    Saving parses the text again and refuses text that differs from what was previewed,
    so what is saved is always what the author saw. When some lines are bad the good ones
    can still be imported (the bad ones are listed and left out); the textarea keeps its
    text either way.
    """
    postmortem = editable_postmortem(request, pk)
    form = TimelineImportForm(request.POST or None)
    context = {"postmortem": postmortem, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        result = parse_timeline(
            text, timezone.get_current_timezone(), first_day=_first_day(postmortem)
        )
        rows, errors = _screen(result, postmortem)
        context["parse_errors"] = errors
        if errors:
            status = 400
        save = request.POST.get("action") == "save"
        if rows and save and request.POST.get("digest") == _digest(text):
            try:
                created = services.timeline_import(
                    postmortem=postmortem, by=request.user, events=[e for e, _w in rows]
                )
            except ValidationError as exc:
                context["notice"] = " ".join(exc.messages)
                status = 400
            else:
                if not request.htmx:
                    messages.success(request, _import_message(len(created), len(errors)))
                return TIMELINE.after_write(request, postmortem)
        elif rows:
            if save:
                context["notice"] = _("The text changed since the preview; check it again.")
            context["preview"] = rows
            context["digest"] = _digest(text)
    elif request.method == "POST":
        status = 400
    if request.htmx:
        return render(request, IMPORT_PARTIAL, context)
    return render(
        request,
        "postmortems/inline_form_page.html",
        {**context, "heading": _("Paste a timeline"), "partial": IMPORT_PARTIAL},
        status=status,
    )


def _import_message(added, left_out):
    message = ngettext(
        "%(count)d event was added to the timeline.",
        "%(count)d events were added to the timeline.",
        added,
    ) % {"count": added}
    if left_out:
        message += " " + ngettext(
            "%(count)d line with an error was left out.",
            "%(count)d lines with errors were left out.",
            left_out,
        ) % {"count": left_out}
    return message
