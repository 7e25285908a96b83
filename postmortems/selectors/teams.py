"""Teams as the settings page and the postmortem form see them."""

from typing import Any

from django.db.models import QuerySet

from ..models import AuditEvent, Membership, SlackMessage, Team


def team_for_settings(user: Any, slug: str) -> Team | None:
    """The team whose settings page ``user`` may open (managers and superusers), or None."""
    qs = Team.objects.filter(slug=slug)
    if not user.is_superuser:
        qs = qs.filter(memberships__user=user, memberships__role=Membership.Role.MANAGER)
    return qs.first()


def recent_slack_messages(team: Team, limit: int = 10) -> QuerySet[SlackMessage]:
    return team.slack_messages.all()[:limit]


def teams_for_postmortem_form(user: Any) -> QuerySet[Team]:
    """Teams a postmortem can be filed under: the user's own, or every team for superusers."""
    if user.is_superuser:
        return Team.objects.order_by("name")
    return Team.objects.filter(memberships__user=user).order_by("name").distinct()


def team_audit_events(team: Team) -> QuerySet[AuditEvent]:
    """The team's audit log, newest first (for its managers: see ``team_for_settings``)."""
    return AuditEvent.objects.filter(team=team).select_related("actor").order_by("-at", "-id")
