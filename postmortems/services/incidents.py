"""A draft postmortem from an alerting tool's incident (the integrations app calls this)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from ..models import Postmortem, Team
from .authoring import POSTMORTEM_TIME_FIELDS, _postmortem_render_sections, _postmortem_validate
from .timeline import timeline_import
from .workflow import _postmortem_lock

INCIDENT_SYNC_FIELDS = ("title", "severity", "summary", *POSTMORTEM_TIME_FIELDS)


def postmortem_sync_from_incident(
    *,
    team: Team,
    fields: Mapping[str, Any],
    previous: Mapping[str, Any] | None = None,
    postmortem: Postmortem | None = None,
    events: Iterable[Any] = (),
) -> Postmortem:
    """Create a draft of ``team`` from an alerting tool's incident (``postmortem`` None), or
    bring the one created before up to date; with its new timeline ``events``, all or none.

    ``fields``: any of title, severity, summary and the incident times. On an update a field
    is replaced only while it is empty or still holds what the last sync set (``previous``),
    so what an author changed stays; a postmortem that left draft keeps its fields and only
    gains events. ``events``: objects with ``occurred_at``, ``kind``, ``text`` and ``source``.
    """
    unknown = set(fields) - set(INCIDENT_SYNC_FIELDS)
    if unknown:
        raise TypeError(f"postmortem_sync_from_incident: cannot set {', '.join(sorted(unknown))}")
    previous = previous or {}
    events = list(events)
    with transaction.atomic():
        if postmortem is None:
            postmortem = Postmortem(team=team, status=Postmortem.Status.DRAFT, **fields)
            changed = True
        else:
            postmortem = _postmortem_lock(postmortem)
            changed = False
            if postmortem.status == Postmortem.Status.DRAFT:
                for name, value in fields.items():
                    current = getattr(postmortem, name)
                    if current != value and current in (None, "", previous.get(name)):
                        setattr(postmortem, name, value)
                        changed = True
        if changed:
            _postmortem_render_sections(postmortem)
            _postmortem_validate(postmortem)
            if postmortem.pk:
                postmortem.version += 1
            postmortem.save()
        if events:
            timeline_import(postmortem=postmortem, by=None, events=events)
    return postmortem
