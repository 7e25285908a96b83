"""The audit log: every security-relevant action leaves one event, seen by team managers."""

import csv
import io
import re

import pytest

from postmortems import services
from postmortems.csv_cells import TRIGGERS, neutralise
from postmortems.models import AuditEvent, Membership
from tests.factories import ActionItemFactory, PostmortemFactory, UserFactory

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action


def actions_of(team):
    return list(AuditEvent.objects.filter(team=team).values_list("action", flat=True))


def update(pm, by, **data):
    return services.postmortem_update(postmortem=pm, data=data, by=by, expected_version=pm.version)


# --- Recorded actions --------------------------------------------------------------------------


def test_restricting_and_opening_a_postmortem_are_recorded(team, alice):
    pm = PostmortemFactory(team=team)

    update(pm, alice, restricted=True)
    update(pm, alice, restricted=False)

    events = AuditEvent.objects.filter(team=team).order_by("id")
    assert [e.action for e in events] == [Action.RESTRICTED_ON, Action.RESTRICTED_OFF]
    assert {(e.actor, e.target_type, e.target_id) for e in events} == {
        (alice, "postmortems.postmortem", pm.pk)
    }


def test_a_save_that_keeps_the_visibility_records_nothing(team, alice):
    pm = PostmortemFactory(team=team)
    update(pm, alice, title="Renamed")
    assert actions_of(team) == []


def test_viewer_grants_and_removals_are_recorded_per_person(team, alice):
    pm = PostmortemFactory(team=team, restricted=True)
    vera, victor = UserFactory(username="vera"), UserFactory(username="victor")

    update(pm, alice, viewers=[vera, victor])
    pm.refresh_from_db()
    update(pm, alice, viewers=[victor])

    added = AuditEvent.objects.filter(action=Action.VIEWER_ADDED)
    removed = AuditEvent.objects.get(action=Action.VIEWER_REMOVED)
    assert sorted(e.detail["user"] for e in added) == ["vera", "victor"]
    assert removed.detail["user"] == "vera"


def test_a_webhook_change_is_recorded_masked(manager_client, manager, team, settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]
    url = "https://hooks.slack.com/services/T0001/B0001/verysecretpart"

    manager_client.post(
        f"/teams/{team.slug}/settings/", {"slack_webhook_url": url, "language": "en"}
    )

    event = AuditEvent.objects.get(action=Action.WEBHOOK_CHANGED)
    team.refresh_from_db()
    assert event.actor == manager
    assert "verysecretpart" not in str(event.detail)
    assert event.detail["to"] == team.slack_webhook_masked


def test_a_role_change_is_recorded(team, alice, manager):
    membership = Membership.objects.get(team=team, user=alice)

    services.membership_set_role(membership=membership, role=Membership.Role.MANAGER, by=manager)

    event = AuditEvent.objects.get(action=Action.ROLE_CHANGED)
    assert event.detail == {"user": "alice", "from": "member", "to": "manager"}


def test_a_markdown_export_is_recorded(alice_client, alice, team):
    pm = PostmortemFactory(team=team)

    alice_client.get(f"/postmortems/{pm.pk}/export.md")

    event = AuditEvent.objects.get(action=Action.EXPORT_MARKDOWN)
    assert (event.actor, event.team, event.target_id) == (alice, team, pm.pk)


@pytest.mark.parametrize("url", ["/actions/export.csv", "/metrics/export.csv"])
def test_csv_exports_are_recorded_with_their_filters(alice_client, alice, team, url):
    ActionItemFactory(postmortem=PostmortemFactory(team=team))

    response = alice_client.get(url, {"team": team.pk})
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)

    event = AuditEvent.objects.get(action=Action.EXPORT_CSV)
    assert (event.actor, event.team) == (alice, team)
    assert f"team={team.pk}" in event.detail["query"]


def test_a_lockout_is_recorded_without_an_actor(team):
    services.audit_lockout(username="alice", ip_address="203.0.113.9")

    event = AuditEvent.objects.get(action=Action.LOCKOUT)
    assert event.actor is None
    assert event.detail == {"username": "alice", "ip_address": "203.0.113.9"}


# --- The page and its export -------------------------------------------------------------------


def test_managers_read_their_teams_log_newest_first(manager_client, team, alice):
    pm = PostmortemFactory(team=team)
    update(pm, alice, restricted=True)
    pm.refresh_from_db()
    update(pm, alice, restricted=False)

    response = manager_client.get(f"/teams/{team.slug}/audit/")

    assert response.status_code == 200
    events = list(response.context["page"].object_list)
    assert [e.action for e in events] == [Action.RESTRICTED_OFF, Action.RESTRICTED_ON]


def test_the_settings_page_links_to_the_log(manager_client, team):
    page = manager_client.get(f"/teams/{team.slug}/settings/").content.decode()
    assert f"/teams/{team.slug}/audit/" in page


@pytest.mark.parametrize("suffix", ["audit/", "audit.csv"])
def test_members_who_do_not_manage_the_team_get_404(alice_client, team, suffix):
    assert alice_client.get(f"/teams/{team.slug}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", ["audit/", "audit.csv"])
def test_managers_of_another_team_get_404(client, login, other_team, team, suffix):
    boss = UserFactory(username="boss")
    Membership.objects.create(team=other_team, user=boss, role=Membership.Role.MANAGER)
    login(client, boss)
    assert client.get(f"/teams/{team.slug}/{suffix}").status_code == 404


def test_the_csv_lists_the_teams_events(manager_client, team):
    services.audit_lockout(username="alice", ip_address="203.0.113.9", team=team)

    response = manager_client.get(f"/teams/{team.slug}/audit.csv")

    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert [row[2] for row in rows[1:]] == ["lockout"]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "＝1+1", ";=1+1", " =1"])
def test_the_csv_neutralises_every_formula_start(value):
    pieces = re.split(r"[,;|\t\r\n]", neutralise(value))
    assert not any(piece.lstrip(" ").startswith(tuple(TRIGGERS)) for piece in pieces)


def test_the_csv_leaves_plain_text_alone():
    assert neutralise("restricted_on") == "restricted_on"
