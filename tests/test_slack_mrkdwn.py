"""User text reaches Slack inert: every message goes through ``postmortems.slack.escape``,
so a title, summary, name or theme cannot broadcast, mention or disguise a link."""

import datetime

import pytest
from django.utils import timezone

from actions import kaizen, reminders, tasks
from postmortems import services, slack
from postmortems.models import Postmortem
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ReadyPostmortemFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = "<!channel> see <http://evil.example|ok> & <@U0123ABCD> @here"
RAW = ("<!channel>", "<http://evil.example|ok>", "<@U0123ABCD>", "@here")


@pytest.fixture
def hooked_team(team, slack_receiver):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    return team


def _mrkdwn_texts(payload):
    """The ``text`` fallback and every mrkdwn text of the Block Kit message."""
    texts = [payload["text"]]
    for block in payload.get("blocks", []):
        text = block.get("text")
        if isinstance(text, dict) and text.get("type") == "mrkdwn":
            texts.append(text["text"])
        for element in block.get("elements", []):
            if element.get("type") == "mrkdwn":
                texts.append(element["text"])
    return texts


def assert_inert(payload):
    texts = _mrkdwn_texts(payload)
    assert len(texts) > 1
    for text in texts:
        for raw in RAW:
            assert raw not in text, (raw, text)
    assert any("&lt;!channel&gt;" in text for text in texts)


def test_escape_turns_control_sequences_into_the_characters_typed():
    assert slack.escape(HOSTILE) == (
        "&lt;!channel&gt; see &lt;http://evil.example|ok&gt; &amp; &lt;@U0123ABCD&gt; @\u2060here"
    )


@pytest.mark.parametrize("word", ["@channel", "@here", "@everyone", "@Channel"])
def test_escape_keeps_broadcast_words_from_notifying(word):
    assert word not in slack.escape(f"ping {word}!")


def test_escape_leaves_ordinary_text_alone():
    assert slack.escape("결제 지연 — p95 up 3×, mail me@example.com") == (
        "결제 지연 — p95 up 3×, mail me@example.com"
    )


def test_link_escapes_its_label_only():
    assert (
        slack.link("https://h.example/x?a=1&b=2", "<b>")
        == "<https://h.example/x?a=1&b=2|&lt;b&gt;>"
    )


def test_review_request_arrives_inert(
    hooked_team, alice, manager, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    pm = ReadyPostmortemFactory(team=hooked_team, title=HOSTILE)
    pm.authors.add(alice)
    pm.reviewers.add(manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.postmortem_submit_for_review(postmortem=pm, by=alice)
    (request,) = slack_receiver.wait_for(1)
    assert_inert(request["json"])


def test_published_message_arrives_inert(
    hooked_team, manager, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    pm = ReadyPostmortemFactory(
        team=hooked_team, title=HOSTILE, summary=HOSTILE, status=Postmortem.Status.IN_REVIEW
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.postmortem_publish(postmortem=pm, by=manager)
    (request,) = slack_receiver.wait_for(1)
    assert_inert(request["json"])


def test_reminders_arrive_inert(
    hooked_team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    hooked_team.name = HOSTILE
    hooked_team.save()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ActionItemFactory(
        team=hooked_team,
        postmortem=PostmortemFactory(team=hooked_team),
        title=HOSTILE,
        assignee=UserFactory(first_name="<!here>", last_name="<@U999>"),
        due_date=yesterday,
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep()
    (request,) = slack_receiver.wait_for(1)
    assert_inert(request["json"])
    assert "<!here>" not in str(request["json"])


def test_the_kaizen_digest_arrives_inert(
    hooked_team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    end = kaizen.last_completed_week_end()
    pm = PostmortemFactory(
        team=hooked_team, started_at=kaizen.day_start(end) - datetime.timedelta(days=4)
    )
    ContributingFactorFactory(postmortem=pm).themes.add(ThemeFactory(name=HOSTILE[:80]))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.theme_rollup.delay(end.isoformat())
    (request,) = slack_receiver.wait_for(1)
    assert_inert(request["json"])
