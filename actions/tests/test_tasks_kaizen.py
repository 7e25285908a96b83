import datetime

import pytest

from actions import kaizen, tasks
from actions.models import ThemeRollup
from postmortems.models import SlackMessage
from tests.factories import ContributingFactorFactory, PostmortemFactory, ThemeFactory


def wednesday(weeks_ago):
    end = kaizen.last_completed_week_end() - datetime.timedelta(weeks=weeks_ago)
    return kaizen.day_start(end) - datetime.timedelta(days=4)


def incident(team, theme, weeks_ago, **kwargs):
    pm = PostmortemFactory(team=team, started_at=wednesday(weeks_ago), **kwargs)
    ContributingFactorFactory(postmortem=pm).themes.add(theme)
    return pm


@pytest.fixture
def hooked_team(team, slack_receiver):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    return team


@pytest.mark.django_db
def test_weekly_task_rolls_up_and_posts_the_top_three_themes_to_the_team(
    hooked_team,
    other_team,
    slack_receiver,
    celery_eager,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://hindsight.example.com"
    themes = [
        ThemeFactory(name=name)
        for name in ("Config drift", "Alert fatigue", "Risky deploys", "Missing runbook")
    ]
    for i, theme in enumerate(themes):
        for weeks_ago in range(4 - i):  # config drift in 4 weeks, alert fatigue in 3, ...
            incident(hooked_team, theme, weeks_ago)
    incident(other_team, ThemeFactory(name="Other team's theme"), 0)
    incident(
        hooked_team,
        themes[0],
        0,
        restricted=True,
        title="Secret acquisition outage",
        summary="Details of the acquisition",
    )

    with django_capture_on_commit_callbacks(execute=True):
        tasks.theme_rollup.delay()

    (request,) = slack_receiver.wait_for(1)
    payload = request["json"]
    text = payload["text"]
    assert "Config drift" in text and "Alert fatigue" in text and "Risky deploys" in text
    assert "Missing runbook" not in text  # only the top three
    assert "Other team's theme" not in text
    assert text.index("Config drift") < text.index("Alert fatigue") < text.index("Risky deploys")
    assert f"https://hindsight.example.com/kaizen/?team={hooked_team.pk}" in text
    assert payload["blocks"][0]["type"] == "header"
    assert payload["blocks"][-1]["elements"][0]["url"].endswith(f"/kaizen/?team={hooked_team.pk}")
    body = str(payload)
    assert "Secret acquisition outage" not in body
    assert "acquisition" not in body.lower()

    message = SlackMessage.objects.get(team=hooked_team)
    assert message.kind == SlackMessage.Kind.DIGEST
    assert message.state == SlackMessage.State.SENT
    assert not SlackMessage.objects.filter(team=other_team).exists()  # no webhook, no digest
    assert (
        ThemeRollup.objects.filter(
            period_end=kaizen.last_completed_week_end(), team__isnull=True
        ).count()
        == 5
    )


@pytest.mark.django_db
def test_the_digest_speaks_the_teams_language(
    hooked_team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    hooked_team.language = "ko"
    hooked_team.save()
    incident(hooked_team, ThemeFactory(name="설정 드리프트"), 0)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.theme_rollup.delay(kaizen.last_completed_week_end().isoformat())

    (request,) = slack_receiver.wait_for(1)
    assert "설정 드리프트" in request["json"]["text"]
