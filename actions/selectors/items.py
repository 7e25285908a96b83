"""Reads for action items, always scoped through the postmortems' visibility rule."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from postmortems.models import Postmortem, Team
from postmortems.permissions import managed_teams, member_team_ids

from ..models import ActionItem


def visible_action_items(user: Any) -> QuerySet[ActionItem]:
    """Action items of postmortems ``user`` may see (the rule: ``visible_to``)."""
    return ActionItem.objects.visible_to(user)


def my_open_actions(user: Any, *, limit: int = 15) -> list[ActionItem]:
    """Up to ``limit`` open items: assigned to me first, then my teams' other open items,
    each by due date. Two short reads of the open-item indexes (mine, then my teams'), not
    one sort of every open item with a computed "mine first" key."""
    base = (
        visible_action_items(user)
        .filter(status__in=ActionItem.OPEN_STATUSES)
        .select_related("team", "assignee")
        .order_by("due_date", "id")
    )
    mine = list(base.filter(assignee=user)[:limit])
    team_ids = member_team_ids(user)
    if len(mine) < limit and team_ids:
        others = base.filter(team_id__in=team_ids).exclude(assignee=user)
        mine += others[: limit - len(mine)]
    return mine


# --- Item pages ------------------------------------------------------------------------------


def action_item_for_detail(user: Any, pk: int) -> ActionItem | None:
    """One visible item with its postmortem, factor, team and assignee, or None."""
    return (
        visible_action_items(user)
        .select_related("postmortem__team", "factor", "team", "assignee", "created_by")
        .filter(pk=pk)
        .first()
    )


def action_items_for_postmortem(postmortem: Postmortem) -> list[ActionItem]:
    """The postmortem's items for its page (``_postmortem_actions.html``), in one query."""
    return list(
        postmortem.action_items.select_related("team", "assignee").order_by(
            "status", "due_date", "id"
        )
    )


def action_item_history(item: ActionItem) -> list[Any]:
    """History rows, newest first, with who made each change."""
    return list(
        item.history.select_related("history_user").order_by("-history_date", "-history_id")
    )


def action_item_reminders(item: ActionItem) -> list[Any]:
    """Reminders logged for the item, newest first."""
    return list(item.reminders.order_by("-for_date", "-created_at", "-id"))


def team_members(team: Team) -> QuerySet[Any]:
    """People who may be assigned an item of ``team``."""
    User = get_user_model()
    return User.objects.filter(memberships__team=team).order_by("first_name", "username")


def teams_with_dead_webhook(user: Any) -> list[Team]:
    """Teams ``user`` manages whose Slack webhook Slack has declared gone (all such teams
    for superusers), for the banner ``actions/partials/_slack_banner.html``. Reuses the
    per-request list of managed teams, so the banner costs no query of its own."""
    return [team for team in managed_teams(user) if team.slack_webhook_disabled_reason]
