import datetime

import pytest
from django.utils import timezone

from actions.models import ActionItem
from actions.selectors import my_open_actions
from tests.factories import ActionItemFactory, PostmortemFactory, TeamFactory


@pytest.mark.django_db
def test_my_open_actions_lists_mine_then_my_teams_by_due_date(alice, team, other_team):
    today = timezone.localdate()

    def item(days, **kwargs):
        kwargs.setdefault("postmortem", PostmortemFactory(team=kwargs.get("team", team)))
        return ActionItemFactory(due_date=today + datetime.timedelta(days=days), **kwargs)

    team_late, team_early = item(9, team=team), item(1, team=team)
    mine_elsewhere = item(5, team=other_team, assignee=alice)
    mine_early = item(2, team=team, assignee=alice)
    item(0, team=team, status=ActionItem.Status.DONE, completed_at=timezone.now())
    item(0, team=other_team)  # not my team, not mine
    item(0, team=team, postmortem=PostmortemFactory(team=TeamFactory(), restricted=True))
    expected = [mine_early, mine_elsewhere, team_early, team_late]

    assert my_open_actions(alice, limit=15) == expected
    assert my_open_actions(alice, limit=3) == expected[:3]
    assert my_open_actions(alice, limit=1) == expected[:1]
