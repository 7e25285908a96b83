"""action_item_follow_tracker: the item follows its ticket."""

import datetime

import pytest

from actions.services import action_item_follow_tracker
from tests.factories import ActionItemFactory, PostmortemFactory, UserFactory

CLOSED_AT = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def item(team):
    return ActionItemFactory(postmortem=PostmortemFactory(team=team), team=team)


def test_a_closed_ticket_completes_the_item_at_its_closed_time_naming_the_source(item):
    assert action_item_follow_tracker(
        item=item, source="GitHub #1 closed", closed=True, closed_at=CLOSED_AT
    )
    item.refresh_from_db()
    assert (item.status, item.completed_at) == ("done", CLOSED_AT)
    record = item.history.first()
    assert (record.history_change_reason, record.history_user) == ("GitHub #1 closed", None)


def test_a_reopened_ticket_reopens_a_closed_item(item):
    action_item_follow_tracker(item=item, source="closed", closed=True)
    action_item_follow_tracker(item=item, source="reopened", closed=False)
    item.refresh_from_db()
    assert (item.status, item.completed_at) == ("open", None)


def test_nothing_changes_when_the_item_already_matches(item):
    assert not action_item_follow_tracker(item=item, source="reopened", closed=False)
    assert item.history.count() == 1


def test_the_assignee_follows_only_to_a_member_of_the_items_team(item, alice):
    stranger = UserFactory(username="stranger")
    assert not action_item_follow_tracker(item=item, source="to stranger", assignee=stranger)
    assert action_item_follow_tracker(item=item, source="to alice", assignee=alice)
    assert action_item_follow_tracker(item=item, source="unassigned", assignee=None)
    item.refresh_from_db()
    assert item.assignee is None
