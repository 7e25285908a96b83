"""The dashboard's default order, its phone layout and its messages."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ActionItemFactory

from .support import URL, days, titles

pytestmark = pytest.mark.django_db


def test_the_list_opens_on_open_items_by_due_date_with_closed_ones_last(alice_client, postmortem):
    ActionItemFactory(
        postmortem=postmortem,
        title="closed long ago",
        status="done",
        due_date=days(-400),
        completed_at=timezone.now() - datetime.timedelta(days=390),
    )
    ActionItemFactory(postmortem=postmortem, title="due next month", due_date=days(30))
    ActionItemFactory(postmortem=postmortem, title="overdue", due_date=days(-2))
    ActionItemFactory(postmortem=postmortem, title="blocked", status="blocked", due_date=days(5))
    ActionItemFactory(
        postmortem=postmortem, title="won't do", status="wont_do", due_date=days(-100)
    )
    assert titles(alice_client.get(URL)) == [
        "overdue",
        "blocked",
        "due next month",
        "closed long ago",
        "won't do",
    ]


def test_sorting_by_due_date_alone_is_still_offered(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem, title="b", due_date=days(3))
    ActionItemFactory(
        postmortem=postmortem,
        title="a",
        status="done",
        due_date=days(1),
        completed_at=timezone.now(),
    )
    assert titles(alice_client.get(URL, {"sort": "due_date"})) == ["a", "b"]


def test_filters_fold_away_until_one_is_set(alice_client, postmortem):
    folded = alice_client.get(URL).content.decode()
    assert '<details class="dashboard-filters card mb-4" data-open-when-wide>' in folded
    filtered = alice_client.get(URL, {"priority": "P1", "q": "x"}).content.decode()
    assert '<details class="dashboard-filters card mb-4" data-open-when-wide open>' in filtered
    assert "2 active" in filtered


def test_every_cell_of_a_row_names_its_column_for_the_phone_cards(alice_client, postmortem):
    ActionItemFactory(postmortem=postmortem)
    html = alice_client.get(URL).content.decode()
    assert 'class="table table-sm align-middle stack-on-phone"' in html
    for label in ("Team", "Priority", "Status", "Due", "Created", "Closed", "Assignee"):
        assert f'data-label="{label}"' in html


@pytest.mark.parametrize(("count", "text"), [(1, "1 item updated."), (2, "2 items updated.")])
def test_bulk_changes_report_their_count_in_words(manager_client, postmortem, count, text):
    items = [ActionItemFactory(postmortem=postmortem) for _ in range(count)]
    response = manager_client.post(
        "/actions/bulk/",
        {"items": [i.pk for i in items], "status": "in_progress", "next": URL},
        follow=True,
    )
    assert text in response.content.decode()
    assert "item(s)" not in response.content.decode()


def test_the_open_first_index_follows_the_open_statuses():
    from actions import models

    assert tuple(models.ActionItem.OPEN_STATUSES) == models._OPEN_STATUSES
