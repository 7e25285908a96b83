"""Exports leave a trace: each CSV export is recorded in the team's audit log."""

from typing import Any

from postmortems.models import AuditEvent, Team
from postmortems.services import audit_record


def export_audit_record(
    *, by: Any, export: str, team_id: int | None = None, query: str = ""
) -> AuditEvent:
    """Record one CSV export in the audit log of the team it was filtered to."""
    team = Team.objects.filter(pk=team_id).first() if team_id else None
    return audit_record(
        action=AuditEvent.Action.EXPORT_CSV,
        actor=by,
        team=team,
        detail={"export": export, "query": query[:500]},
    )
