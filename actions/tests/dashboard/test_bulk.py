import datetime

import pytest

from actions import services
from actions.models import ActionItem
from postmortems.models import Profile
from tests.factories import (
    ActionItemFactory,
    PostmortemFactory,
)

from .support import URL, days, tile

pytestmark = pytest.mark.django_db


# --- Bulk changes --------------------------------------------------------------------------------


def test_manager_sees_checkboxes_and_changes_items_in_bulk(
    manager_client, manager, alice, postmortem
):
    items = [ActionItemFactory(postmortem=postmortem, title=f"Item {n}") for n in range(3)]
    page = manager_client.get(URL)
    assert b'id="bulk-form"' in page.content
    assert page.content.count(b'name="items"') == 3
    response = manager_client.post(
        "/actions/bulk/",
        {
            "items": [i.pk for i in items[:2]],
            "status": "in_progress",
            "assignee": alice.pk,
            "next": "/actions/?team=1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/actions/?team=1"
    assert list(ActionItem.objects.order_by("pk").values_list("status", "assignee")) == [
        ("in_progress", alice.pk),
        ("in_progress", alice.pk),
        ("open", None),
    ]
    assert items[0].history.first().history_user == manager


def test_the_bulk_form_assigns_by_username(manager_client, alice, postmortem):
    """The form's assignee field is a username (its people fetched as one types)."""
    items = [ActionItemFactory(postmortem=postmortem) for _ in range(2)]
    page = manager_client.get(URL).content.decode()
    assert 'id="bulk-assignee" name="assignee_username"' in page
    response = manager_client.post(
        "/actions/bulk/",
        {"items": [items[0].pk], "assignee_username": " alice ", "next": "/actions/"},
        follow=True,
    )
    assert "1 item updated." in response.content.decode()
    assert list(ActionItem.objects.order_by("pk").values_list("assignee", flat=True)) == [
        alice.pk,
        None,
    ]


def test_an_unknown_username_changes_nothing_and_says_why(manager_client, postmortem):
    item = ActionItemFactory(postmortem=postmortem)
    response = manager_client.post(
        "/actions/bulk/",
        {"items": [item.pk], "status": "in_progress", "assignee_username": "nobody"},
        follow=True,
    )
    assert "No one has the username “nobody”." in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.assignee_id) == ("open", None)


def test_an_id_wins_over_a_username(manager_client, manager, alice, postmortem):
    item = ActionItemFactory(postmortem=postmortem)
    manager_client.post(
        "/actions/bulk/",
        {"items": [item.pk], "assignee": alice.pk, "assignee_username": manager.username},
    )
    item.refresh_from_db()
    assert item.assignee == alice


def test_members_who_are_not_managers_cannot_change_in_bulk(alice_client, postmortem):
    item = ActionItemFactory(postmortem=postmortem)
    page = alice_client.get(URL)
    assert b'id="bulk-form"' not in page.content
    alice_client.post("/actions/bulk/", {"items": [item.pk], "status": "done"})
    item.refresh_from_db()
    assert item.status == "open"


def test_managers_cannot_bulk_change_other_teams_items(manager_client, other_team):
    theirs = ActionItemFactory(postmortem=PostmortemFactory(team=other_team))
    page = manager_client.get(URL)
    assert b'name="items"' not in page.content
    response = manager_client.post(
        "/actions/bulk/", {"items": [theirs.pk], "status": "done"}, follow=True
    )
    assert b"only for managers" in response.content
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_bulk_ignores_items_the_manager_cannot_see(manager_client, manager, other_team):
    hidden = ActionItemFactory(postmortem=PostmortemFactory(team=other_team, restricted=True))
    manager_client.post("/actions/bulk/", {"items": [hidden.pk], "status": "done"})
    hidden.refresh_from_db()
    assert hidden.status == "open"


def test_bulk_with_an_impossible_item_id_is_refused_politely(manager_client):
    response = manager_client.post(
        "/actions/bulk/", {"items": ["99999999999999999999999"], "status": "done"}
    )
    assert response.status_code == 302


def test_bulk_refuses_an_offsite_next_url(manager_client, postmortem):
    item = ActionItemFactory(postmortem=postmortem)
    response = manager_client.post(
        "/actions/bulk/", {"items": [item.pk], "status": "done", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/actions/"


def test_services_and_dashboard_agree_on_completion(manager_client, manager, postmortem):
    item = ActionItemFactory(postmortem=postmortem, due_date=days(5))
    services.action_item_complete(item=item, by=manager)
    response = manager_client.get(URL)
    assert tile(response, "on_time_rate") == "100%"
    assert tile(response, "completed_30") == "1"


@pytest.mark.parametrize(
    ("zone", "on_time"),
    [("UTC", "100%"), ("Asia/Seoul", "0%")],
)
def test_on_time_uses_the_local_date_of_completion(client, login, alice, postmortem, zone, on_time):
    Profile.objects.filter(user=alice).update(time_zone=zone)
    ActionItemFactory(
        postmortem=postmortem,
        status="done",
        due_date=datetime.date(2026, 2, 10),
        # 23:30 in UTC on the due day; already the next morning in Seoul.
        completed_at=datetime.datetime(2026, 2, 10, 23, 30, tzinfo=datetime.UTC),
    )
    login(client, alice)
    assert tile(client.get(URL), "on_time_rate") == on_time
