import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from postmortems import services
from tests.factories import PostmortemFactory, TimelineEventFactory


def test_a_timeline_event_over_the_cap_is_refused_by_the_service(alice, team, settings):
    settings.TIMELINE_EVENT_MAX_CHARS = 100
    postmortem = PostmortemFactory(team=team)
    with pytest.raises(ValidationError) as raised:
        services.timeline_event_create(
            postmortem=postmortem,
            by=alice,
            occurred_at=postmortem.started_at,
            kind="note",
            text="x" * 101,
        )
    assert "100" in raised.value.message_dict["text"][0]


def test_a_postmortem_takes_no_more_events_than_the_cap(alice, team, settings):
    settings.TIMELINE_MAX_EVENTS = 2
    postmortem = PostmortemFactory(team=team)
    TimelineEventFactory.create_batch(2, postmortem=postmortem)
    with pytest.raises(ValidationError, match="at most 2"):
        services.timeline_event_create(
            postmortem=postmortem,
            by=alice,
            occurred_at=postmortem.started_at,
            kind="note",
            text="x",
        )


def test_a_factor_over_the_count_cap_is_refused(alice, team, settings):
    settings.FACTORS_MAX_PER_POSTMORTEM = 0
    postmortem = PostmortemFactory(team=team)
    with pytest.raises(ValidationError, match="at most 0"):
        services.factor_create(
            postmortem=postmortem, by=alice, category="monitoring", description="No alert."
        )


def test_a_nul_in_the_not_required_reason_is_refused_not_stored(manager, team):
    postmortem = PostmortemFactory(team=team)
    with pytest.raises(services.PostmortemTransitionError, match="NUL"):
        services.postmortem_mark_not_required(postmortem=postmortem, by=manager, reason="dup\x00")


def test_a_nul_in_any_text_column_fails_full_clean(team):
    postmortem = PostmortemFactory.build(team=team, title="a\x00b")
    with pytest.raises(ValidationError) as raised:
        postmortem.full_clean(exclude=["version"], validate_unique=False)
    assert "title" in raised.value.message_dict


def test_a_full_timeline_is_a_form_error_that_keeps_the_typed_text(alice_client, team, settings):
    settings.TIMELINE_MAX_EVENTS = 0
    postmortem = PostmortemFactory(team=team)
    when = timezone.localtime(postmortem.started_at)
    response = alice_client.post(
        f"/postmortems/{postmortem.pk}/timeline/add/",
        {"occurred_at": f"{when:%Y-%m-%d %H:%M}", "kind": "note", "text": "Paged the on-call"},
    )
    assert response.status_code == 400
    assert "at most 0" in response.content.decode()
    assert "Paged the on-call" in response.content.decode()


def test_a_factor_past_the_count_cap_is_a_form_error(alice_client, team, settings):
    settings.FACTORS_MAX_PER_POSTMORTEM = 0
    postmortem = PostmortemFactory(team=team)
    response = alice_client.post(
        f"/postmortems/{postmortem.pk}/factors/add/",
        {"category": "monitoring", "description": "No alert on queue depth"},
    )
    assert response.status_code == 400
    assert "No alert on queue depth" in response.content.decode()


def test_a_comment_over_the_cap_is_refused_with_the_limit(alice_client, team, settings):
    settings.COMMENT_MAX_CHARS = 10
    postmortem = PostmortemFactory(team=team)
    response = alice_client.post(
        f"/postmortems/{postmortem.pk}/comments/", {"body": "x" * 11, "anchor": "general"}
    )
    assert response.status_code < 500
    assert not postmortem.comments.exists()
