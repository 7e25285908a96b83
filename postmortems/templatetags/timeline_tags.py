"""Template helpers for the timeline and contributing-factor partials."""

from django import template

from .. import page_rows, timeline
from ..forms import TimelineEventForm

register = template.Library()


@register.filter
def day_rows(events):
    """``{% for row in timeline_events|day_rows %}``: rows with ``new_day`` in the reader's zone."""
    return timeline.with_day_dividers(events)


@register.filter
def day_groups(events):
    """``{% for group in timeline_events|day_groups %}``: days in the reader's zone, each
    with its rows ready to print (see ``timeline.day_groups``)."""
    return timeline.day_groups(events)


@register.simple_tag
def marker_durations(postmortem, events):
    return timeline.marker_durations(postmortem, events)


@register.filter
def kind_badge(kind):
    return timeline.KIND_BADGE_CLASSES.get(kind, "text-bg-secondary")


@register.inclusion_tag("postmortems/partials/_timeline_event_form.html", takes_context=True)
def timeline_add_form(context, postmortem):
    form = TimelineEventForm()
    # Shown again right after an event was added: the next one is typed at once.
    form.fields["occurred_at"].widget.attrs["autofocus"] = True
    return {
        "postmortem": postmortem,
        "form": form,
        "event": None,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.simple_tag(takes_context=True)
def timeline_rows(context, rows):
    """``{% timeline_rows rows %}``: the rows of ``_timeline_rows.html`` (see
    ``page_rows.timeline_rows``), with the flags and labels its includer set."""
    return page_rows.timeline_rows(
        rows,
        editing=bool(context.get("editing")),
        focus_edit=bool(context.get("focus_edit")),
        timeline_url=context.get("timeline_url") or "",
        edit_label=context.get("edit_label") or "",
        pinned_label=context.get("pinned_label") or "",
        imported_label=context.get("imported_label") or "",
    )


@register.simple_tag(takes_context=True)
def factor_rows(context, factors):
    """``{% factor_rows factors %}``: the cards of ``_factor_rows.html`` (see
    ``page_rows.factor_rows``), with the flags, URLs and labels its includer set."""
    return page_rows.factor_rows(
        factors,
        can_edit=bool(context.get("can_edit")),
        focus_edit=bool(context.get("focus_edit")),
        factors_url=context.get("factors_url") or "",
        actions_url=context.get("actions_url") or "",
        edit_label=context.get("edit_label") or "",
        items_label=context.get("items_label") or "",
    )
