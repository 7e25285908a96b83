"""The review workflow's rules: an independent reviewer, the severity template, who hears."""

import pytest
from django.core.exceptions import ValidationError

from postmortems import permissions, services
from postmortems.models import AuditEvent, Postmortem, SeverityTemplate, SlackMessage
from tests.factories import PostmortemFactory, ReadyPostmortemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="rita", first_name="Rita", last_name="Cho")
    user.profile.slack_member_id = "U0RITA1"
    user.profile.save()
    return user


def _allow_self_review(team):
    team.allow_self_review = True
    team.save()


def test_sending_for_review_without_reviewers_is_refused_with_a_clear_message(team, alice):
    pm = ReadyPostmortemFactory(team=team)
    with pytest.raises(services.PostmortemTransitionError) as exc:
        services.postmortem_submit_for_review(postmortem=pm, by=alice)
    assert "it has no reviewers" in exc.value.message
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.DRAFT


def test_an_author_as_the_only_reviewer_is_refused(team, alice):
    pm = ReadyPostmortemFactory(team=team)
    pm.authors.add(alice)
    pm.reviewers.add(alice)
    with pytest.raises(services.PostmortemTransitionError) as exc:
        services.postmortem_submit_for_review(postmortem=pm, by=alice)
    assert "every reviewer is also an author" in exc.value.message


def test_an_incomplete_postmortem_is_refused_naming_exactly_what_is_missing(team, alice, reviewer):
    pm = PostmortemFactory(team=team, severity="SEV3", impact="", resolved_at=None)
    pm.reviewers.add(reviewer)
    with pytest.raises(services.PostmortemIncomplete) as exc:
        services.postmortem_submit_for_review(postmortem=pm, by=alice)
    assert exc.value.message == (
        "Not sent for review: this SEV3 postmortem still needs the impact and when it was resolved."
    )
    assert [r.key for r in exc.value.missing] == ["impact", "resolved_at"]


def test_an_author_cannot_publish_their_own_postmortem_even_as_a_manager(team, manager, reviewer):
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    pm.authors.add(manager)
    pm.reviewers.add(reviewer)
    assert not permissions.can_approve_postmortem(manager, pm)
    with pytest.raises(services.PostmortemTransitionError) as exc:
        services.postmortem_publish(postmortem=pm, by=manager)
    assert "you are an author" in exc.value.message
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.IN_REVIEW


def test_publishing_is_refused_until_the_template_is_met(team, manager):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW, impact="Some")
    with pytest.raises(services.PostmortemIncomplete) as exc:
        services.postmortem_publish(postmortem=pm, by=manager)
    assert exc.value.message == (
        "Not published: this SEV3 postmortem still needs at least one contributing factor "
        "and at least one action item, or a written reason for none."
    )


def test_with_self_review_allowed_an_author_reviews_and_the_history_records_it(team, alice):
    _allow_self_review(team)
    pm = ReadyPostmortemFactory(team=team)
    pm.authors.add(alice)
    pm.reviewers.add(alice)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    services.postmortem_publish(postmortem=pm, by=alice)
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.PUBLISHED
    reasons = list(
        pm.history.order_by("history_id").values_list("status", "history_change_reason")
    )[-2:]
    assert reasons == [
        ("in_review", services.SELF_REVIEW_REASON),
        ("published", services.SELF_REVIEW_REASON),
    ]


def test_an_independent_review_is_not_recorded_as_self_review(team, alice, manager):
    _allow_self_review(team)
    pm = ReadyPostmortemFactory(team=team)
    pm.authors.add(alice)
    pm.reviewers.add(manager)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    services.postmortem_publish(postmortem=pm, by=manager)
    assert not pm.history.filter(history_change_reason=services.SELF_REVIEW_REASON).exists()


def test_the_review_request_mentions_reviewers_whose_slack_id_is_known(
    team, alice, manager, reviewer
):
    pm = ReadyPostmortemFactory(team=team, title="Ledger drift")
    pm.authors.add(alice)
    pm.reviewers.add(reviewer, manager)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    message = SlackMessage.objects.get(kind=SlackMessage.Kind.REVIEW)
    text = message.payload["blocks"][0]["text"]["text"]
    assert text.startswith("*Mona Park*, <@U0RITA1>: please review *Ledger drift* (SEV3)")
    assert "sent by Alice Kim." in text


def test_a_malformed_slack_id_is_named_never_sent_as_a_mention(team, alice, reviewer):
    reviewer.profile.slack_member_id = "U1><!channel"
    reviewer.profile.save()
    pm = ReadyPostmortemFactory(team=team)
    pm.reviewers.add(reviewer)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    text = SlackMessage.objects.get().payload["text"]
    assert text.startswith("*Rita Cho*: please review")
    assert "<!channel" not in text and "<@" not in text


def test_a_reviewer_sending_it_back_tells_the_authors(team, alice, reviewer):
    alice.profile.slack_member_id = "U0ALICE"
    alice.profile.save()
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW, title="Lag")
    pm.authors.add(alice)
    pm.reviewers.add(reviewer)
    services.postmortem_reopen(postmortem=pm, by=reviewer)
    message = SlackMessage.objects.get(kind=SlackMessage.Kind.RETURNED)
    assert message.payload["text"].startswith("<@U0ALICE>: Rita Cho sent *Lag* back to draft.")


def test_an_author_taking_it_back_tells_nobody(team, alice, reviewer):
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    pm.authors.add(alice)
    services.postmortem_reopen(postmortem=pm, by=alice)
    assert not SlackMessage.objects.exists()


def test_the_published_message_mentions_the_authors(team, alice, manager):
    alice.profile.slack_member_id = "U0ALICE"
    alice.profile.save()
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    pm.authors.add(alice)
    services.postmortem_publish(postmortem=pm, by=manager)
    payload = SlackMessage.objects.get(kind=SlackMessage.Kind.PUBLISHED).payload
    assert "<@U0ALICE>: published after review by Mona Park." in payload["text"]
    assert payload["blocks"][-1]["text"]["text"].startswith("<http")  # the link stays last


def test_review_rules_are_saved_in_catalogue_order_and_audited(team, manager):
    services.team_set_review_rules(
        team=team,
        allow_self_review=True,
        templates={"SEV2": (["impact", "summary"], ["summary", "factor"])},
        by=manager,
    )
    row = SeverityTemplate.objects.get(team=team, severity="SEV2")
    assert (row.before_review, row.before_publish) == (["summary", "impact"], ["factor"])
    team.refresh_from_db()
    assert team.allow_self_review
    event = AuditEvent.objects.get(action=AuditEvent.Action.REVIEW_RULES_CHANGED)
    assert event.actor == manager and event.detail["allow_self_review"] is True


def test_an_unknown_requirement_is_refused(team, manager):
    with pytest.raises(ValidationError):
        services.team_set_review_rules(
            team=team, allow_self_review=False, templates={"SEV1": (["x"], [])}, by=manager
        )


# --- "Not required" closes the review like publishing: same rule for authors -------------------


def test_an_author_cannot_mark_their_own_postmortem_not_required_even_as_a_manager(
    team, manager, reviewer
):
    pm = PostmortemFactory(team=team)
    pm.authors.add(manager)
    pm.reviewers.add(reviewer)
    assert not permissions.can_mark_not_required(manager, pm)
    with pytest.raises(services.PostmortemTransitionError) as exc:
        services.postmortem_mark_not_required(postmortem=pm, by=manager, reason="A test page.")
    assert "you are an author" in exc.value.message
    pm.refresh_from_db()
    assert (pm.status, pm.not_required_reason) == (Postmortem.Status.DRAFT, "")


def test_a_reviewer_who_did_not_write_it_marks_it_not_required(team, manager, reviewer):
    pm = PostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    pm.authors.add(manager)
    pm.reviewers.add(reviewer)
    services.postmortem_mark_not_required(postmortem=pm, by=reviewer, reason="A test page.")
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.NOT_REQUIRED
    assert not pm.history.filter(history_change_reason=services.SELF_REVIEW_REASON).exists()


def test_with_self_review_allowed_an_author_marks_it_not_required_and_history_says_so(
    team, manager
):
    _allow_self_review(team)
    pm = PostmortemFactory(team=team)
    pm.authors.add(manager)
    services.postmortem_mark_not_required(postmortem=pm, by=manager, reason="A test page.")
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.NOT_REQUIRED
    latest = pm.history.order_by("-history_id").first()
    assert (latest.status, latest.history_change_reason) == (
        Postmortem.Status.NOT_REQUIRED,
        services.SELF_REVIEW_REASON,
    )
