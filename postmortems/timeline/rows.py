"""Reading the timeline: its rows in the reader's zone, grouped by day."""

import dataclasses
import datetime
from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr
from django.utils import timezone

from ..models import TimelineEvent

# Bootstrap colour per kind; the kind's label is always shown next to it.
KIND_BADGE_CLASSES = {
    TimelineEvent.Kind.NOTE: "text-bg-secondary",
    TimelineEvent.Kind.DETECTION: "text-bg-danger",
    TimelineEvent.Kind.DIAGNOSIS: "text-bg-warning",
    TimelineEvent.Kind.REPAIR: "text-bg-success",
    TimelineEvent.Kind.KEY_MOMENT: "text-bg-primary",
    TimelineEvent.Kind.COMMUNICATION: "text-bg-info",
}


@dataclass(frozen=True)
class TimelineRow:
    event: object
    local: datetime.datetime
    day: datetime.date
    new_day: bool
    # What the read view prints, formatted here once per row rather than by template
    # filters (a 200-event timeline would pay for each filter and label lookup 200 times).
    clock: str = ""  # "14:03 KST": the time and zone in the reader's zone
    iso: str = ""  # the <time> element's machine-readable value
    kind_label: str = ""
    badge: str = ""


def _kind_labels():
    return {value: str(label) for value, label in TimelineEvent.Kind.choices}


def timeline_row(event, tz=None, *, new_day=False, kind_labels=None):
    """One event as the read view shows it, in ``tz`` (default: the reader's zone). The zone
    abbreviation comes from the aware local time, so the hour a DST change repeats is told
    apart (01:30 EDT, then 01:30 EST)."""
    local = timezone.localtime(event.occurred_at, tz or timezone.get_current_timezone())
    zone = local.tzname() or ""
    labels = kind_labels if kind_labels is not None else _kind_labels()
    return TimelineRow(
        event,
        local,
        local.date(),
        new_day,
        clock=f"{local:%H:%M} {zone}".rstrip(),
        iso=event.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        kind_label=labels.get(event.kind, event.kind),
        badge=KIND_BADGE_CLASSES.get(event.kind, "text-bg-secondary"),
    )


def day_groups(events, tz=None):
    """The read view's timeline: one group per day in ``tz`` (default: the reader's zone),
    ``{"local": first row's local time, "rows": [...]}``, each row a flat dict of what its
    template prints (a dict: the template engine finds its keys at the first try, and a
    timeline has hundreds of rows). ``html`` is the stored rendering, or the escaped plain text
    with line breaks for an event saved before rendering was stored."""
    groups = []
    for row in with_day_dividers(events, tz):
        event = row.event
        if row.new_day:
            groups.append({"local": row.local, "day": row.day, "rows": []})
        groups[-1]["rows"].append(
            {
                "pk": str(event.pk),
                "pinned": event.pinned,
                "source": event.source,
                "iso": row.iso,
                "clock": row.clock,
                "badge": row.badge,
                "kind_label": row.kind_label,
                # Stored HTML was sanitised when saved (markdown.render); the template
                # prints it as it prints every stored rendering, with |safe.
                "html": event.text_html or linebreaksbr(event.text),
            }
        )
    return groups


def with_day_dividers(events, tz=None):
    """Rows for a timeline in ``tz`` (default: the active zone, the reader's):
    ``new_day`` is true on the first row and on every row whose local date changes."""
    tz = tz or timezone.get_current_timezone()
    labels = _kind_labels()
    rows, previous = [], None
    for event in events:
        row = timeline_row(event, tz, kind_labels=labels)
        if row.day != previous:
            row = dataclasses.replace(row, new_day=True)
        rows.append(row)
        previous = row.day
    return rows
