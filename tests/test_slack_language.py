"""Slack messages speak the team's language (``Team.language``), whatever the language of
the person or process that caused them: a Korean team gets Korean text at its webhook."""

import datetime

import pytest
from django.utils import timezone, translation

from actions import kaizen, reminders, tasks
from postmortems import services
from postmortems.models import Postmortem
from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    ReadyPostmortemFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def korean_team(team, slack_receiver):
    team.slack_webhook_url = slack_receiver.url()
    team.language = "ko"
    team.save()
    return team


def _all_text(request):
    return request["json"]["text"] + "\n" + str(request["json"].get("blocks", ""))


def test_the_test_message_is_in_korean_for_a_korean_team(
    korean_team, manager, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.team_send_test_message(team=korean_team, by=manager)
    (request,) = slack_receiver.wait_for(1)
    assert request["json"]["text"] == "Hindsight: Payments 팀 테스트 메시지입니다. 보낸 사람: mona."


def test_the_test_message_stays_english_for_an_english_team(
    team, manager, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    with translation.override("ko"), django_capture_on_commit_callbacks(execute=True):
        services.team_send_test_message(team=team, by=manager)
    (request,) = slack_receiver.wait_for(1)
    assert request["json"]["text"] == "Hindsight: test message for team Payments, sent by mona."


def test_the_published_message_is_in_korean_for_a_korean_team(
    korean_team, manager, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    pm = ReadyPostmortemFactory(
        team=korean_team, title="결제 지연", status=Postmortem.Status.IN_REVIEW, summary="요약"
    )
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.postmortem_publish(postmortem=pm, by=manager)
    (request,) = slack_receiver.wait_for(1)
    payload = request["json"]
    assert payload["blocks"][0]["text"]["text"] == "포스트모템 게시: 결제 지연"
    text = _all_text(request)
    assert "Payments 팀 · 액션 아이템 0건" in text
    assert "포스트모템 읽기" in text
    assert "Postmortem published" not in text and "Read the postmortem" not in text


def test_the_review_request_is_in_korean_for_a_korean_team(
    korean_team, alice, manager, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    pm = ReadyPostmortemFactory(team=korean_team, title="결제 지연")
    pm.authors.add(alice)
    pm.reviewers.add(manager)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.postmortem_submit_for_review(postmortem=pm, by=alice)
    (request,) = slack_receiver.wait_for(1)
    text = _all_text(request)
    assert "*Mona Park*: *결제 지연* (SEV3) 검토를 부탁드립니다. 요청자 Alice Kim." in text
    assert "포스트모템 열기" in text


def test_reminders_are_in_korean_for_a_korean_team(
    korean_team, alice, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ActionItemFactory(
        team=korean_team,
        postmortem=PostmortemFactory(team=korean_team),
        title="알림 임계값 조정",
        assignee=alice,
        due_date=yesterday,
    )
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        reminders.sweep()
    (request,) = slack_receiver.wait_for(1)
    text = _all_text(request)
    assert f"Payments 팀 액션 아이템 리마인더({timezone.localdate().isoformat()})" in text
    assert "기한 초과 1건" in text
    assert "1일 지남" in text
    assert "overdue" not in text.replace("status=open", "")


def test_the_kaizen_digest_is_in_korean_for_a_korean_team(
    korean_team, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    end = kaizen.last_completed_week_end()
    pm = PostmortemFactory(
        team=korean_team, started_at=kaizen.day_start(end) - datetime.timedelta(days=4)
    )
    ContributingFactorFactory(postmortem=pm).themes.add(ThemeFactory(name="설정 드리프트"))
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        tasks.theme_rollup.delay(end.isoformat())
    (request,) = slack_receiver.wait_for(1)
    text = _all_text(request)
    assert f"Payments 팀 카이젠 요약({end.isoformat()}까지의 한 주)" in text
    assert "• *설정 드리프트*: 최근 4주 중 1주에 장애 1건, 열린 액션 0건" in text
    assert "카이젠 리뷰 열기" in text
