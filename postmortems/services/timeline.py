"""The incident timeline: add, edit, delete, pin and import events."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .. import markdown
from ..models import TimelineEvent

#
# Timeline and factor writes never touch the postmortem's ``version``: it guards the main
# form's text only, so adding an event while someone edits the summary is no conflict.
# History is kept by django-simple-history; ``_history_user`` names the author when there
# is no request (the request middleware does it otherwise).


def _timeline_event_save(event, by, **save_kwargs):
    event.text_html = markdown.render(event.text)
    event.full_clean(exclude=["postmortem", "created_by"])
    event._history_user = by
    with transaction.atomic():
        event.save(**save_kwargs)
    return event


def timeline_event_create(*, postmortem, by, occurred_at, kind, text, pinned=False):
    event = TimelineEvent(
        postmortem=postmortem,
        occurred_at=occurred_at,
        kind=kind,
        text=text,
        pinned=pinned,
        created_by=by,
    )
    return _timeline_event_save(event, by)


def timeline_event_update(*, event, by, occurred_at, kind, text):
    event.occurred_at = occurred_at
    event.kind = kind
    event.text = text
    return _timeline_event_save(event, by)


def timeline_event_delete(*, event, by):
    event._history_user = by
    with transaction.atomic():
        event.delete()


def timeline_event_set_pinned(*, event, by, pinned):
    event.pinned = bool(pinned)
    event._history_user = by
    with transaction.atomic():
        event.save(update_fields=["pinned"])
    return event


def timeline_import(*, postmortem, by, events):
    """Save parsed lines (``timeline.ParsedEvent`` or anything with ``occurred_at``,
    ``kind`` and ``text``) as events, all or none."""
    built = []
    for parsed in events:
        event = TimelineEvent(
            postmortem=postmortem,
            occurred_at=parsed.occurred_at,
            kind=parsed.kind,
            text=parsed.text,
            text_html=markdown.render(parsed.text),
            created_by=by,
        )
        event.full_clean(exclude=["postmortem", "created_by"])
        built.append(event)
    if not built:
        raise ValidationError(_("There is nothing to import."))
    with transaction.atomic():
        return bulk_create_with_history(built, TimelineEvent, default_user=by)
