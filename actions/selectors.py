"""Reads for action items, always scoped through the postmortems' visibility rule."""

from django.db.models import Case, IntegerField, Q, Value, When

from postmortems.permissions import member_team_ids
from postmortems.selectors import visible_postmortems

from .models import ActionItem


def visible_action_items(user):
    """Action items of postmortems ``user`` may see."""
    return ActionItem.objects.filter(postmortem__in=visible_postmortems(user))


def my_open_actions(user):
    """Open items assigned to me first, then my teams' other open items, by due date."""
    mine_first = Case(
        When(assignee=user, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        visible_action_items(user)
        .filter(status__in=ActionItem.OPEN_STATUSES)
        .filter(Q(assignee=user) | Q(team_id__in=member_team_ids(user)))
        .annotate(mine=mine_first)
        .select_related("team", "assignee", "postmortem")
        .order_by("mine", "due_date", "id")
    )
