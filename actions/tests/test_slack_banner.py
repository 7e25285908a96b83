import pytest
from django.template.loader import render_to_string
from django.test import Client

from actions.selectors import teams_with_dead_webhook
from postmortems.models import Team

SECRET_URL = "https://hooks.slack.com/services/T000/B000/very-secret-token"


def _disable(team, reason="channel_is_archived"):
    Team.objects.filter(pk=team.pk).update(
        slack_webhook_url=SECRET_URL, slack_webhook_disabled_reason=reason
    )
    team.refresh_from_db()
    return team


@pytest.mark.django_db
def test_managers_see_their_teams_with_a_dead_webhook(team, other_team, manager):
    _disable(team)
    _disable(other_team)
    assert list(teams_with_dead_webhook(manager)) == [team]


@pytest.mark.django_db
def test_members_and_outsiders_see_no_banner(team, alice, outsider):
    _disable(team)
    assert list(teams_with_dead_webhook(alice)) == []
    assert list(teams_with_dead_webhook(outsider)) == []


@pytest.mark.django_db
def test_superusers_see_every_dead_webhook(team, other_team, superuser):
    _disable(team)
    assert list(teams_with_dead_webhook(superuser)) == [team]


@pytest.mark.django_db
def test_a_working_webhook_is_not_listed(team, manager):
    Team.objects.filter(pk=team.pk).update(slack_webhook_url=SECRET_URL)
    assert list(teams_with_dead_webhook(manager)) == []


@pytest.mark.django_db
def test_banner_names_the_team_the_reason_and_links_to_its_settings(team, manager):
    _disable(team, reason="invalid_token")
    html = render_to_string(
        "actions/partials/_slack_banner.html",
        {"disabled_teams": teams_with_dead_webhook(manager)},
    )
    assert 'role="alert"' in html
    assert "Payments" in html
    assert "invalid_token" in html
    assert f'href="{team.get_absolute_url()}"' in html
    assert "very-secret-token" not in html


@pytest.mark.django_db
def test_banner_is_empty_without_dead_webhooks(team, manager):
    html = render_to_string(
        "actions/partials/_slack_banner.html",
        {"disabled_teams": teams_with_dead_webhook(manager)},
    )
    assert html.strip() == ""


def test_dashboard_shows_the_banner_to_the_teams_managers(login, manager, alice, team):
    team.slack_webhook_disabled_reason = "channel_is_archived"
    team.save()
    page = login(Client(), manager).get("/actions/").content.decode()
    assert "channel_is_archived" in page
    assert team.get_absolute_url() in page
    member_page = login(Client(), alice).get("/actions/").content.decode()
    assert "channel_is_archived" not in member_page
