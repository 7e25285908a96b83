import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from postmortems import gates, services
from postmortems.models import Postmortem, ReviewComment, SlackMessage
from tests.factories import PostmortemFactory, UserFactory

pytestmark = pytest.mark.django_db


def _data(team, **overrides):
    started = timezone.now() - datetime.timedelta(hours=5)
    data = {
        "title": "Checkout errors after cache failover",
        "severity": "SEV2",
        "team": team,
        "restricted": False,
        "caused_by_change": True,
        "started_at": started,
        "detected_at": started + datetime.timedelta(minutes=5),
        "mitigated_at": started + datetime.timedelta(minutes=30),
        "resolved_at": started + datetime.timedelta(hours=1),
        "summary": "**Checkout** failed for 30 minutes.",
        "impact": "",
        "went_well": "",
        "got_lucky": "",
        "surprises": "",
    }
    data.update(overrides)
    return data


def test_create_stores_rendered_html_and_makes_the_creator_an_author(team, alice):
    pm = services.postmortem_create(data=_data(team), by=alice)
    assert pm.status == Postmortem.Status.DRAFT
    assert pm.summary_html == "<p><strong>Checkout</strong> failed for 30 minutes.</p>"
    assert list(pm.authors.all()) == [alice]
    # The creation, then the authors it was given (people are kept in the history too).
    assert [r.history_type for r in pm.history.order_by("history_id")] == ["+", "~"]
    assert [a.user_id for a in pm.history.latest().authors.all()] == [alice.pk]


def test_create_refuses_resolution_before_mitigation(team, alice):
    started = timezone.now() - datetime.timedelta(hours=5)
    data = _data(
        team,
        started_at=started,
        mitigated_at=started + datetime.timedelta(hours=2),
        resolved_at=started + datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as exc:
        services.postmortem_create(data=data, by=alice)
    assert "resolved_at" in exc.value.message_dict


def test_create_refuses_detection_before_start_and_future_times(team, alice):
    started = timezone.now() - datetime.timedelta(hours=5)
    data = _data(
        team,
        detected_at=started - datetime.timedelta(minutes=1),
        resolved_at=timezone.now() + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as exc:
        services.postmortem_create(data=data, by=alice)
    assert set(exc.value.message_dict) >= {"detected_at", "resolved_at"}


def test_create_refuses_a_section_over_the_limit(team, alice, settings):
    settings.POSTMORTEM_SECTION_MAX_CHARS = 10
    with pytest.raises(ValidationError) as exc:
        services.postmortem_create(data=_data(team, impact="x" * 11), by=alice)
    assert "impact" in exc.value.message_dict


def test_update_bumps_the_version_rerenders_and_records_history(team, alice):
    pm = services.postmortem_create(data=_data(team), by=alice)
    services.postmortem_update(
        postmortem=pm, data={"summary": "Now _calmer_."}, by=alice, expected_version=1
    )
    pm.refresh_from_db()
    assert pm.version == 2
    assert pm.summary_html == "<p>Now <em>calmer</em>.</p>"
    latest = pm.history.first()
    assert latest.history_user == alice
    assert latest.version == 2
    assert latest.prev_record.summary != latest.summary


def test_update_on_a_stale_version_raises_a_conflict_and_keeps_the_first_save(team, alice):
    pm = services.postmortem_create(data=_data(team), by=alice)
    services.postmortem_update(
        postmortem=pm, data={"summary": "First"}, by=alice, expected_version=1
    )
    stale = Postmortem.objects.get(pk=pm.pk)
    with pytest.raises(services.PostmortemVersionConflict) as exc:
        services.postmortem_update(
            postmortem=stale, data={"summary": "Second"}, by=alice, expected_version=1
        )
    assert exc.value.current.summary == "First"
    pm.refresh_from_db()
    assert (pm.summary, pm.version) == ("First", 2)


def test_update_does_not_undo_a_status_change_made_meanwhile(team, alice, manager):
    pm = PostmortemFactory(team=team)
    loaded = Postmortem.objects.get(pk=pm.pk)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    services.postmortem_update(
        postmortem=loaded, data={"summary": "Edited"}, by=alice, expected_version=1
    )
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.IN_REVIEW


def test_submit_for_review_moves_a_draft_and_tells_slack(team, alice, manager):
    team.slack_webhook_url = "https://hooks.slack.com/services/T/B/C"
    team.save()
    pm = PostmortemFactory(team=team)
    pm.reviewers.add(manager)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    assert pm.status == Postmortem.Status.IN_REVIEW
    message = SlackMessage.objects.get(team=team)
    assert message.kind == SlackMessage.Kind.REVIEW
    assert "Mona Park" in message.payload["text"]
    assert f"/postmortems/{pm.pk}/" in message.payload["text"]


def test_submit_for_review_without_a_webhook_sends_nothing(team, alice):
    pm = PostmortemFactory(team=team)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    assert not SlackMessage.objects.exists()


def test_submit_for_review_refuses_what_is_not_a_draft(team, alice):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.PUBLISHED)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_submit_for_review(postmortem=pm, by=alice)


def test_submit_for_review_refuses_someone_who_cannot_edit(team, outsider):
    pm = PostmortemFactory(team=team)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_submit_for_review(postmortem=pm, by=outsider)


def test_publish_sets_published_at_and_enqueues_one_slack_message(team, manager, settings):
    settings.SITE_URL = "https://hindsight.example.com"
    pm = PostmortemFactory(
        team=team,
        status=Postmortem.Status.IN_REVIEW,
        summary="Line one\n\nLine two\nLine three\nLine four",
    )
    services.postmortem_publish(postmortem=pm, by=manager)
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.PUBLISHED
    assert pm.published_at is not None
    message = SlackMessage.objects.get()
    assert message.kind == SlackMessage.Kind.PUBLISHED
    payload = message.payload
    assert f"https://hindsight.example.com/postmortems/{pm.pk}/" in payload["text"]
    assert "SEV3" in payload["text"]
    assert "0 action items" in payload["text"]
    assert "Line one" in payload["text"] and "Line four" not in payload["text"]
    assert payload["blocks"][0]["type"] == "header"


def test_publish_refuses_a_member_who_is_not_reviewer_or_manager(team, alice):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_publish(postmortem=pm, by=alice)
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.IN_REVIEW


def test_a_reviewer_from_another_team_may_publish(team, outsider):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    pm.reviewers.add(outsider)
    services.postmortem_publish(postmortem=pm, by=outsider)
    assert pm.status == Postmortem.Status.PUBLISHED


def test_publish_refuses_a_draft(team, manager):
    pm = PostmortemFactory(team=team)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_publish(postmortem=pm, by=manager)


def test_publish_refuses_while_blame_findings_are_open(team, manager, monkeypatch):
    # The gate's own rules are tested with the language checks; here only its answer counts.
    monkeypatch.setattr(gates, "unacknowledged_findings", lambda pm: ["finding"])
    pm = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    with pytest.raises(services.PostmortemHasFindings) as exc:
        services.postmortem_publish(postmortem=pm, by=manager)
    assert exc.value.findings == ["finding"]
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.IN_REVIEW
    assert not SlackMessage.objects.exists()


def test_publish_asks_for_confirmation_while_comments_are_unresolved(team, manager, alice):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    services.review_comment_create(postmortem=pm, by=alice, body="Is 7 minutes right?")
    with pytest.raises(services.PostmortemNeedsConfirmation) as exc:
        services.postmortem_publish(postmortem=pm, by=manager)
    assert exc.value.unresolved_count == 1
    services.postmortem_publish(postmortem=pm, by=manager, confirm_unresolved=True)
    assert pm.status == Postmortem.Status.PUBLISHED


def test_mark_not_required_records_the_reason(team, manager):
    pm = PostmortemFactory(team=team)
    services.postmortem_mark_not_required(postmortem=pm, by=manager, reason="Duplicate of #12")
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.NOT_REQUIRED
    assert pm.not_required_reason == "Duplicate of #12"


def test_mark_not_required_needs_a_reason_and_the_right_person(team, manager, alice):
    pm = PostmortemFactory(team=team)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_mark_not_required(postmortem=pm, by=manager, reason="  ")
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_mark_not_required(postmortem=pm, by=alice, reason="Duplicate")
    published = PostmortemFactory(team=team, status=Postmortem.Status.PUBLISHED)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_mark_not_required(postmortem=published, by=manager, reason="x")


def test_reopen_returns_a_published_postmortem_to_draft(team, manager):
    pm = PostmortemFactory(
        team=team, status=Postmortem.Status.PUBLISHED, published_at=timezone.now()
    )
    services.postmortem_reopen(postmortem=pm, by=manager)
    pm.refresh_from_db()
    assert pm.status == Postmortem.Status.DRAFT
    assert pm.published_at is None


def test_reopen_refuses_a_draft_and_a_member_taking_back_a_published_one(team, alice):
    draft = PostmortemFactory(team=team)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_reopen(postmortem=draft, by=alice)
    published = PostmortemFactory(team=team, status=Postmortem.Status.PUBLISHED)
    with pytest.raises(services.PostmortemTransitionError):
        services.postmortem_reopen(postmortem=published, by=alice)


def test_every_transition_is_in_the_history(team, alice, manager):
    pm = PostmortemFactory(team=team)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    services.postmortem_publish(postmortem=pm, by=manager)
    statuses = list(pm.history.order_by("history_id").values_list("status", "history_user"))
    assert statuses[-2:] == [("in_review", alice.pk), ("published", manager.pk)]


def test_comment_markdown_is_sanitised_and_replies_join_the_thread(team, alice, manager):
    pm = PostmortemFactory(team=team)
    root = services.review_comment_create(
        postmortem=pm, by=manager, body="<script>x()</script>\n\n**why?**", anchor="section:impact"
    )
    assert "<script>" not in root.body_html and "<strong>why?</strong>" in root.body_html
    reply = services.review_comment_create(postmortem=pm, by=alice, body="Fixed", parent=root)
    nested = services.review_comment_create(postmortem=pm, by=manager, body="Ok", parent=reply)
    assert reply.anchor == "section:impact"
    assert nested.parent == root


def test_comment_anchor_must_point_into_this_postmortem(team, alice):
    pm = PostmortemFactory(team=team)
    other = PostmortemFactory(team=team)
    factor = other.factors.create(category="monitoring", description="x")
    for anchor in ("section:nope", f"factor:{factor.pk}", "event:999", "javascript:1"):
        with pytest.raises(ValidationError):
            services.review_comment_create(postmortem=pm, by=alice, body="x", anchor=anchor)


def test_resolving_a_reply_resolves_its_thread(team, alice, manager):
    pm = PostmortemFactory(team=team)
    root = services.review_comment_create(postmortem=pm, by=manager, body="Q")
    reply = services.review_comment_create(postmortem=pm, by=alice, body="A", parent=root)
    services.review_comment_set_resolved(comment=reply, by=alice, resolved=True)
    root.refresh_from_db()
    assert root.resolved and root.resolved_by == alice
    services.review_comment_set_resolved(comment=root, by=alice, resolved=False)
    assert not ReviewComment.objects.get(pk=root.pk).resolved


def test_people_are_saved_with_the_postmortem(team, alice):
    reviewer = UserFactory(username="rev")
    pm = services.postmortem_create(
        data=_data(team, authors=[alice], reviewers=[reviewer]), by=alice
    )
    assert list(pm.reviewers.all()) == [reviewer]


def test_published_message_reaches_slack_after_commit(
    team, manager, slack_receiver, celery_eager, django_capture_on_commit_callbacks
):
    team.slack_webhook_url = slack_receiver.url()
    team.save()
    pm = PostmortemFactory(
        team=team, status=Postmortem.Status.IN_REVIEW, summary="Payments paused for 9 minutes."
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.postmortem_publish(postmortem=pm, by=manager)
    assert slack_receiver.requests == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    sent = slack_receiver.wait_for(1)[0]["json"]
    assert "Payments paused for 9 minutes." in sent["text"]
    assert sent["blocks"][0]["text"]["text"].startswith("Postmortem published:")
    assert SlackMessage.objects.get().state == SlackMessage.State.SENT


def test_create_refuses_a_team_the_author_is_not_in(other_team, alice):
    with pytest.raises(ValidationError) as exc:
        services.postmortem_create(data=_data(other_team), by=alice)
    assert "team" in exc.value.message_dict


def test_an_author_from_another_team_keeps_the_postmortems_team(team, outsider):
    pm = PostmortemFactory(team=team)
    pm.authors.add(outsider)
    services.postmortem_update(
        postmortem=pm, data={"team": team, "summary": "x"}, by=outsider, expected_version=1
    )
    assert pm.team == team
