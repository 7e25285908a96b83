import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory

from postmortems.models import Team
from postmortems.validators import validate_slack_webhook_url

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    "http://169.254.169.254/latest/meta-data/",
    "https://evil.example.com/services/T/B/X",
    "http://hooks.slack.com/services/T/B/X",
    "https://user:pw@hooks.slack.com/services/T/B/X",
    "https://10.0.0.1/services/T/B/X",
]


@pytest.mark.parametrize("url", FORBIDDEN)
def test_a_team_with_a_webhook_outside_the_allow_list_does_not_validate(team, url):
    team.slack_webhook_url = url
    with pytest.raises(ValidationError) as excinfo:
        team.full_clean()
    assert "slack_webhook_url" in excinfo.value.error_dict


def test_a_slack_webhook_and_no_webhook_both_validate(team):
    for url in ("https://hooks.slack.com/services/T000/B000/XXXX", ""):
        team.slack_webhook_url = url
        team.full_clean()


def test_an_origin_added_to_the_allow_list_validates(team, settings):
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com", "http://127.0.0.1:8765"]
    team.slack_webhook_url = "http://127.0.0.1:8765/hook"
    team.full_clean()
    settings.SLACK_WEBHOOK_ALLOWED_HOSTS = ["hooks.slack.com"]
    with pytest.raises(ValidationError):
        validate_slack_webhook_url(team.slack_webhook_url)


def test_any_model_form_such_as_the_admins_or_an_apis_refuses_a_forbidden_webhook(team):
    form_class = modelform_factory(Team, fields=["name", "slug", "language", "slack_webhook_url"])
    data = {"name": "Payments", "slug": "payments", "language": "en"}
    form = form_class({**data, "slack_webhook_url": FORBIDDEN[0]}, instance=team)
    assert not form.is_valid()
    assert "slack_webhook_url" in form.errors
    team.refresh_from_db()
    assert team.slack_webhook_url == ""
