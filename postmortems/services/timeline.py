"""The incident timeline: add, edit, delete, pin and import events."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .. import incident_window, limits, markdown
from ..models import Postmortem, TimelineEvent
from .history import record_as

#
# Timeline and factor writes never touch the postmortem's ``version``: it guards the main
# form's text only, so adding an event while someone edits the summary is no conflict.
# History is kept by django-simple-history; ``_history_user`` names the author when there
# is no request (the request middleware does it otherwise).


def _check_not_future(occurred_at: datetime.datetime | None) -> None:
    if occurred_at is not None and (reason := incident_window.future_error(occurred_at)):
        raise ValidationError({"occurred_at": reason})


def _timeline_event_save(event: TimelineEvent, by: Any, **save_kwargs: Any) -> TimelineEvent:
    limits.check_text(text=(event.text, "TIMELINE_EVENT_MAX_CHARS"))
    _check_not_future(event.occurred_at)
    event.text_html = markdown.render(event.text)
    event.full_clean(exclude=["postmortem", "created_by"])
    record_as(event, by)
    with transaction.atomic():
        event.save(**save_kwargs)
    return event


def timeline_event_create(
    *,
    postmortem: Postmortem,
    by: Any,
    occurred_at: datetime.datetime,
    kind: str,
    text: str,
    pinned: bool = False,
) -> TimelineEvent:
    limits.check_room(
        existing=postmortem.timeline_events.count(),
        setting="TIMELINE_MAX_EVENTS",
        what=_("timeline events"),
    )
    event = TimelineEvent(
        postmortem=postmortem,
        occurred_at=occurred_at,
        kind=kind,
        text=text,
        pinned=pinned,
        created_by=by,
    )
    return _timeline_event_save(event, by)


def timeline_event_update(
    *, event: TimelineEvent, by: Any, occurred_at: datetime.datetime, kind: str, text: str
) -> TimelineEvent:
    event.occurred_at = occurred_at
    event.kind = kind
    event.text = text
    return _timeline_event_save(event, by)


def timeline_event_delete(*, event: TimelineEvent, by: Any) -> None:
    record_as(event, by)
    with transaction.atomic():
        event.delete()


def timeline_event_set_pinned(*, event: TimelineEvent, by: Any, pinned: bool) -> TimelineEvent:
    event.pinned = bool(pinned)
    record_as(event, by)
    with transaction.atomic():
        event.save(update_fields=["pinned"])
    return event


def timeline_import(
    *, postmortem: Postmortem, by: Any, events: Iterable[Any]
) -> list[TimelineEvent]:
    """Save parsed lines (``timeline.ParsedEvent`` or anything with ``occurred_at``,
    ``kind`` and ``text``) as events, all or none."""
    events = list(events)
    if len(events) > settings.TIMELINE_PASTE_MAX_LINES:
        raise ValidationError(
            _("Paste at most %(limit)s lines at a time; this paste has %(count)s.")
            % {"limit": settings.TIMELINE_PASTE_MAX_LINES, "count": len(events)}
        )
    limits.check_room(
        existing=postmortem.timeline_events.count(),
        adding=len(events),
        setting="TIMELINE_MAX_EVENTS",
        what=_("timeline events"),
    )
    built = []
    for parsed in events:
        limits.check_text(text=(parsed.text, "TIMELINE_EVENT_MAX_CHARS"))
        _check_not_future(parsed.occurred_at)
        event = TimelineEvent(
            postmortem=postmortem,
            occurred_at=parsed.occurred_at,
            kind=parsed.kind,
            text=parsed.text,
            text_html=markdown.render(parsed.text),
            source=getattr(parsed, "source", ""),
            created_by=by,
        )
        event.full_clean(exclude=["postmortem", "created_by"])
        built.append(event)
    if not built:
        raise ValidationError(_("There is nothing to import."))
    with transaction.atomic():
        created: list[TimelineEvent] = bulk_create_with_history(
            built, TimelineEvent, default_user=by
        )
    return created
