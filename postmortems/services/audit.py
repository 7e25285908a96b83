"""The audit log: one row per security-relevant change, written in its transaction."""

from typing import Any

from django.db.models import Model

from ..models import AuditEvent, Team


def audit_record(
    *,
    action: str,
    actor: Any = None,
    team: Team | None = None,
    target: Model | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one AuditEvent. Call it inside the transaction of the change it records, so
    the event exists exactly when the change does. ``detail`` must hold nothing secret."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        team=team,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        detail=detail or {},
    )


def audit_lockout(*, username: str, ip_address: str | None, team: Team | None = None) -> AuditEvent:
    """A sign-in locked out after too many failures (for the django-axes signal)."""
    return audit_record(
        action=AuditEvent.Action.LOCKOUT,
        team=team,
        detail={"username": username[:150], "ip_address": ip_address or ""},
    )
