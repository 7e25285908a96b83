import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from actions import services
from actions.models import ActionItem, ReminderLog
from tests.factories import ActionItemFactory, ContributingFactorFactory, PostmortemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postmortem(team):
    return PostmortemFactory(team=team, title="Checkout outage")


@pytest.fixture
def restricted(team):
    return PostmortemFactory(team=team, title="Secret incident", restricted=True)


def create_url(postmortem):
    return f"/postmortems/{postmortem.pk}/actions/new/"


def form_data(team, **overrides):
    data = {
        "title": "Alert on queue depth",
        "kind": "detect",
        "priority": "P2",
        "team": team.pk,
        "assignee": "",
        "due_date": "",
        "factor": "",
        "tracker_url": "",
        "notes": "",
    }
    data.update(overrides)
    return data


# --- Create --------------------------------------------------------------------------------------


def test_member_creates_an_item_with_the_policy_due_date(alice_client, postmortem, team, settings):
    settings.ACTION_DUE_DAYS = {"P1": 7, "P2": 30, "P3": 60, "P4": 90}
    response = alice_client.post(create_url(postmortem), form_data(team))
    item = ActionItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/actions/{item.pk}/"
    assert item.due_date == timezone.localdate() + datetime.timedelta(days=30)
    assert (item.kind, item.priority, item.team) == ("detect", "P2", team)


def test_create_form_shows_the_default_due_date_and_preselects_the_factor(
    alice_client, postmortem, settings
):
    settings.ACTION_DUE_DAYS = {"P1": 7, "P2": 30, "P3": 60, "P4": 90}
    factor = ContributingFactorFactory(postmortem=postmortem)
    response = alice_client.get(create_url(postmortem) + f"?factor={factor.pk}")
    default = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    assert response.status_code == 200
    assert f'value="{default}"'.encode() in response.content
    assert f'<option value="{factor.pk}" selected>'.encode() in response.content
    assert b"data-due-days" in response.content


def test_create_links_the_factor(alice_client, postmortem, team):
    factor = ContributingFactorFactory(postmortem=postmortem)
    alice_client.post(create_url(postmortem), form_data(team, factor=factor.pk))
    assert ActionItem.objects.get().factor == factor


def test_assignee_outside_the_owner_team_gets_a_clear_form_error(
    alice_client, postmortem, team, outsider
):
    response = alice_client.post(create_url(postmortem), form_data(team, assignee=outsider.pk))
    assert response.status_code == 400
    assert b"is not a member of Payments" in response.content
    assert not ActionItem.objects.exists()


def test_past_due_date_is_refused(alice_client, postmortem, team):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = alice_client.post(create_url(postmortem), form_data(team, due_date=yesterday))
    assert response.status_code == 400
    assert b"cannot be in the past" in response.content


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://tracker.example.com/1"])
def test_tracker_url_must_be_http_or_https(alice_client, postmortem, team, url):
    response = alice_client.post(create_url(postmortem), form_data(team, tracker_url=url))
    assert response.status_code == 400
    assert not ActionItem.objects.exists()


def test_notes_are_sanitised(alice_client, postmortem, team):
    alice_client.post(
        create_url(postmortem),
        form_data(team, notes="[x](javascript:alert(1)) <img src=x onerror=alert(1)> *ok*"),
    )
    html = ActionItem.objects.get().notes_html
    assert "javascript:" not in html
    assert "onerror" not in html
    assert "<em>ok</em>" in html


def test_inline_htmx_create_returns_the_refreshed_actions_partial(alice_client, postmortem, team):
    response = alice_client.post(
        create_url(postmortem),
        {
            "inline": "1",
            "title": "Add a runbook",
            "kind": "process",
            "priority": "P3",
            "team": team.pk,
            "due_date": "",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="postmortem-actions"' in response.content
    assert b"Add a runbook" in response.content
    assert b"<html" not in response.content
    assert ActionItem.objects.get().title == "Add a runbook"


def test_inline_htmx_create_with_errors_keeps_the_input(alice_client, postmortem, team):
    response = alice_client.post(
        create_url(postmortem),
        {"inline": "1", "title": "", "kind": "process", "priority": "P3", "team": team.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"alert-danger" in response.content
    assert not ActionItem.objects.exists()


def test_outsider_cannot_create_on_a_visible_postmortem(outsider_client, postmortem, team):
    response = outsider_client.post(create_url(postmortem), form_data(team))
    assert response.status_code == 403
    assert not ActionItem.objects.exists()


def test_create_on_a_restricted_postmortem_is_404_for_outsiders(outsider_client, restricted):
    assert outsider_client.get(create_url(restricted)).status_code == 404


# --- Detail, edit, status -------------------------------------------------------------------------


@pytest.fixture
def item(postmortem, alice):
    return services.action_item_create(
        postmortem=postmortem, by=alice, title="Alert on queue depth", team=postmortem.team
    )


def test_detail_shows_postmortem_factor_history_and_reminders_newest_first(alice_client, item):
    factor = ContributingFactorFactory(postmortem=item.postmortem, description="Thresholds drifted")
    item.factor = factor
    item.save()
    ReminderLog.objects.create(
        item=item, kind="due_soon", for_date=datetime.date(2026, 1, 1), state="sent"
    )
    ReminderLog.objects.create(
        item=item,
        kind="overdue",
        for_date=datetime.date(2026, 1, 9),
        state="failed",
        last_error="webhook gone",
    )
    response = alice_client.get(f"/actions/{item.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Checkout outage" in content
    assert "Thresholds drifted" in content
    assert "Created" in content and "Alice Kim" in content
    assert content.index("webhook gone") < content.index("2026-01-01")
    assert "Failed" in content


def test_item_of_a_restricted_postmortem_is_404_for_outsiders(outsider_client, restricted):
    hidden = ActionItemFactory(postmortem=restricted)
    assert outsider_client.get(f"/actions/{hidden.pk}/").status_code == 404
    assert (
        outsider_client.post(f"/actions/{hidden.pk}/status/", {"action": "complete"}).status_code
        == 404
    )


def test_member_edits_the_item(alice_client, item, manager):
    response = alice_client.post(
        f"/actions/{item.pk}/",
        {
            "title": "Page on queue depth",
            "kind": "detect",
            "priority": "P1",
            "team": item.team_id,
            "assignee": manager.pk,
            "due_date": item.due_date.isoformat(),
            "factor": "",
            "tracker_url": "https://jira.example.com/X-1",
            "notes": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.priority, item.assignee) == ("Page on queue depth", "P1", manager)
    assert item.history.first().history_user.username == "alice"


def test_outsider_sees_the_item_but_cannot_edit_or_change_status(outsider_client, item):
    page = outsider_client.get(f"/actions/{item.pk}/")
    assert page.status_code == 200
    assert b'name="title"' not in page.content
    assert outsider_client.post(f"/actions/{item.pk}/", {"title": "x"}).status_code == 403
    assert (
        outsider_client.post(f"/actions/{item.pk}/status/", {"action": "complete"}).status_code
        == 403
    )
    item.refresh_from_db()
    assert item.status == "open"


def test_status_buttons_walk_the_workflow(alice_client, item):
    alice_client.post(f"/actions/{item.pk}/status/", {"action": "start"})
    item.refresh_from_db()
    assert item.status == "in_progress"
    alice_client.post(f"/actions/{item.pk}/status/", {"action": "complete"})
    item.refresh_from_db()
    assert item.status == "done" and item.completed_at
    page = alice_client.get(f"/actions/{item.pk}/")
    assert b'value="reopen"' in page.content
    assert b'value="start"' not in page.content


def test_wont_do_without_reason_is_refused_with_a_message(alice_client, item):
    response = alice_client.post(
        f"/actions/{item.pk}/status/", {"action": "wont_do", "reason": ""}, follow=True
    )
    assert b"Say why the item will not be done" in response.content
    item.refresh_from_db()
    assert item.status == "open"


def test_invalid_transition_shows_a_clear_message(alice_client, item):
    response = alice_client.post(f"/actions/{item.pk}/status/", {"action": "reopen"}, follow=True)
    assert b"Cannot reopen an item that is open" in response.content


# --- Postmortem partial -----------------------------------------------------------------------


def test_postmortem_partial_renders_without_per_row_queries(
    rf, alice, postmortem, django_assert_num_queries
):
    for n in range(5):
        ActionItemFactory(postmortem=postmortem, title=f"Item {n}", assignee=alice)
    items = list(postmortem.action_items.select_related("team", "assignee"))
    request = rf.get("/")
    request.user = alice
    with django_assert_num_queries(0):
        html = render_to_string(
            "actions/partials/_postmortem_actions.html",
            {
                "postmortem": postmortem,
                "action_items": items,
                "can_edit": True,
                "today": timezone.localdate(),
            },
            request=request,
        )
    assert html.count('href="/actions/') == 5
    assert f'action="/postmortems/{postmortem.pk}/actions/new/"' in html


# --- Home page ------------------------------------------------------------------------------------


def test_home_lists_my_open_actions_with_an_overdue_label(alice_client, alice, postmortem):
    ActionItemFactory(
        postmortem=postmortem,
        title="Late one",
        assignee=alice,
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    ActionItemFactory(postmortem=postmortem, title="Finished", assignee=alice, status="done")
    response = alice_client.get("/")
    content = response.content.decode()
    assert "Late one" in content
    assert "Overdue" in content
    assert "Finished" not in content


def test_postmortem_page_shows_the_actions_partial_with_the_inline_form(
    alice_client, postmortem, alice
):
    ActionItemFactory(postmortem=postmortem, title="Rotate the on-call runbook", assignee=alice)
    response = alice_client.get(f"/postmortems/{postmortem.pk}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="postmortem-actions"' in content
    assert "Rotate the on-call runbook" in content
    assert f'hx-post="/postmortems/{postmortem.pk}/actions/new/"' in content


def test_postmortem_page_hides_the_add_form_from_people_who_cannot_edit(
    outsider_client, postmortem
):
    content = outsider_client.get(f"/postmortems/{postmortem.pk}/").content.decode()
    assert 'id="postmortem-actions"' in content
    assert "/actions/new/" not in content


def test_a_restricted_postmortem_offers_only_its_own_team_as_owner(alice_client, team, other_team):
    hidden = PostmortemFactory(team=team, restricted=True)

    response = alice_client.post(create_url(hidden), form_data(other_team))

    assert response.status_code == 400
    assert not ActionItem.objects.filter(postmortem=hidden).exists()
    assert other_team.name not in response.content.decode()


def test_item_page_serves_the_notes_html_stored_on_save(alice_client, postmortem):
    item = ActionItemFactory(postmortem=postmortem, notes="**source**")
    ActionItem.objects.filter(pk=item.pk).update(notes_html="<p>stored-notes</p>")
    html = alice_client.get(f"/actions/{item.pk}/").content.decode()
    assert "<p>stored-notes</p>" in html and "<strong>source</strong>" not in html


def _assignee_options(response):
    select = re.search(r'<select name="assignee".*?</select>', response.content.decode(), re.S)
    return re.findall(r'<option value="(\d+)"', select.group(0))


def test_the_assignee_list_offers_only_members_of_the_owner_team(
    alice_client, postmortem, alice, manager, outsider
):
    offered = _assignee_options(alice_client.get(create_url(postmortem)))
    assert str(alice.pk) in offered and str(manager.pk) in offered
    assert str(outsider.pk) not in offered


def test_the_assignee_list_follows_the_posted_team(
    alice_client, postmortem, team, other_team, outsider, alice
):
    response = alice_client.post(create_url(postmortem), form_data(other_team, assignee=alice.pk))
    assert response.status_code == 400
    offered = _assignee_options(response)
    assert str(outsider.pk) in offered and str(alice.pk) not in offered


def test_the_members_of_every_team_ride_along_for_the_team_switch(alice_client, postmortem):
    assert b"data-team-members=" in alice_client.get(create_url(postmortem)).content
