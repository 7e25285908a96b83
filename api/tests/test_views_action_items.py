import datetime

import pytest
from django.utils import timezone

from actions.models import ActionItem
from tests.factories import ActionItemFactory, PostmortemFactory

LIST = "/api/v1/action-items/"


def detail(pk):
    return f"{LIST}{pk}/"


@pytest.fixture
def item(team):
    return ActionItemFactory(postmortem=PostmortemFactory(team=team), title="Add a canary")


def test_items_of_restricted_postmortems_are_hidden_from_outsiders(api, outsider, team):
    hidden = ActionItemFactory(postmortem=PostmortemFactory(team=team, restricted=True))
    shown = ActionItemFactory(postmortem=PostmortemFactory(team=team))
    client = api(outsider)
    assert [r["id"] for r in client.get(LIST).json()["results"]] == [shown.pk]
    assert client.get(detail(hidden.pk)).status_code == 404
    assert client.patch(detail(hidden.pk), {"title": "x"}).status_code == 404


def test_the_dashboard_filters_apply(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    late = ActionItemFactory(postmortem=postmortem, title="Late one")
    ActionItem.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    ActionItemFactory(postmortem=postmortem, title="On time", status="done")
    client = api(alice)
    overdue = client.get(LIST, {"overdue": "true"}).json()["results"]
    assert [r["title"] for r in overdue] == ["Late one"]
    done = client.get(LIST, {"status": ["done", "wont_do"]}).json()["results"]
    assert [r["title"] for r in done] == ["On time"]


def test_list_queries_do_not_grow_with_rows(api, alice, team, django_assert_max_num_queries):
    postmortem = PostmortemFactory(team=team)
    client = api(alice)
    client.get(LIST)
    ActionItemFactory.create_batch(3, postmortem=postmortem, assignee=alice)
    with django_assert_max_num_queries(2):
        client.get(LIST)
    ActionItemFactory.create_batch(30, postmortem=postmortem, assignee=alice)
    with django_assert_max_num_queries(2):
        assert len(client.get(LIST).json()["results"]) == 33


def test_create_defaults_the_team_and_the_due_date_policy(api, alice, team):
    postmortem = PostmortemFactory(team=team)
    response = api(alice).post(
        LIST, {"postmortem": postmortem.pk, "title": "Alert on lag", "priority": "P1"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["team"] == team.pk
    assert body["due_date"] == (timezone.localdate() + datetime.timedelta(days=7)).isoformat()


def test_create_refuses_an_assignee_outside_the_owner_team(api, alice, outsider, team):
    postmortem = PostmortemFactory(team=team)
    response = api(alice).post(
        LIST, {"postmortem": postmortem.pk, "title": "x", "assignee": outsider.username}
    )
    assert response.status_code == 400
    assert "assignee" in response.json()


def test_create_on_a_restricted_postmortem_reads_as_not_found(api, outsider, team):
    postmortem = PostmortemFactory(team=team, restricted=True)
    response = api(outsider).post(LIST, {"postmortem": postmortem.pk, "title": "x"})
    assert response.status_code == 400
    assert "postmortem" in response.json()


def test_a_read_token_cannot_change_items(api, alice, item):
    client = api(alice, scope="read")
    assert client.patch(detail(item.pk), {"title": "x"}).status_code == 403
    assert client.post(detail(item.pk) + "transition/", {"action": "start"}).status_code == 403


def test_status_changes_follow_the_workflow(api, alice, item):
    client = api(alice)
    path = detail(item.pk) + "transition/"
    assert client.post(path, {"action": "start"}).json()["status"] == "in_progress"
    assert client.post(path, {"action": "wont_do"}).status_code == 400  # needs a reason
    done = client.post(path, {"action": "complete"}).json()
    assert done["status"] == "done"
    assert done["completed_at"]
    assert client.post(path, {"action": "start"}).status_code == 409


def test_patch_changes_fields_through_the_service(api, alice, item):
    response = api(alice).patch(detail(item.pk), {"title": "Add two canaries", "priority": "P1"})
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert (item.title, item.priority) == ("Add two canaries", "P1")
    assert item.history.first().history_user == alice


def test_a_past_due_date_is_refused(api, alice, item):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = api(alice).patch(detail(item.pk), {"due_date": yesterday.isoformat()})
    assert response.status_code == 400
    assert "due_date" in response.json()


def test_a_factor_of_a_restricted_postmortem_reads_as_not_found(api, outsider, other_team, team):
    from tests.factories import ContributingFactorFactory

    secret = ContributingFactorFactory(postmortem=PostmortemFactory(team=team, restricted=True))
    theirs = PostmortemFactory(team=other_team)
    response = api(outsider).post(
        LIST, {"postmortem": theirs.pk, "title": "x", "factor": secret.pk}
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["factor"][0]
