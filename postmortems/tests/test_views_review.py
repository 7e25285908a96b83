"""The review workflow through the pages: messages, buttons, the checklist, team rules."""

import pytest
from django.urls import reverse

from postmortems import services
from postmortems.models import Postmortem, SeverityTemplate, SlackMessage
from tests.factories import PostmortemFactory, ReadyPostmortemFactory

pytestmark = pytest.mark.django_db


def _submit(client, pm):
    return client.post(reverse("postmortems:submit", args=[pm.pk]), follow=True)


def test_sending_for_review_says_who_was_asked_and_that_slack_heard_nothing(
    alice_client, team, manager
):
    pm = ReadyPostmortemFactory(team=team)
    pm.reviewers.add(manager)
    html = _submit(alice_client, pm).content.decode()
    assert "Sent for review to Mona Park" in html
    assert "No Slack webhook is set for Payments, so nobody was told on Slack." in html


def test_with_a_webhook_the_message_says_slack_is_being_told(alice_client, team, manager):
    team.slack_webhook_url = "https://hooks.slack.com/services/T/B/C"
    team.save()
    pm = ReadyPostmortemFactory(team=team)
    pm.reviewers.add(manager)
    html = _submit(alice_client, pm).content.decode()
    assert "A message to the Slack channel of Payments is on its way." in html


def test_a_stopped_webhook_is_named_with_its_reason(alice_client, team, manager):
    team.slack_webhook_url = "https://hooks.slack.com/services/T/B/C"
    team.slack_webhook_disabled_reason = "channel_is_archived"
    team.save()
    pm = ReadyPostmortemFactory(team=team)
    pm.reviewers.add(manager)
    html = _submit(alice_client, pm).content.decode()
    assert "Slack delivery for Payments is stopped (channel_is_archived)" in html


def test_sending_without_reviewers_shows_the_refusal(alice_client, team):
    pm = ReadyPostmortemFactory(team=team)
    html = _submit(alice_client, pm).content.decode()
    assert "it has no reviewers" in html
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.DRAFT


def test_publishing_without_a_webhook_does_not_claim_the_team_was_told(manager_client, team):
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    response = manager_client.post(reverse("postmortems:publish", args=[pm.pk]), follow=True)
    html = response.content.decode()
    assert "Published. No Slack webhook is set for Payments, so nobody was told on Slack." in html
    assert "The team is told on Slack" not in html


def test_an_author_sees_why_there_is_no_publish_button(manager_client, manager, team):
    pm = ReadyPostmortemFactory(team=team, status=Postmortem.Status.IN_REVIEW)
    pm.authors.add(manager)
    html = manager_client.get(pm.get_absolute_url()).content.decode()
    assert reverse("postmortems:publish", args=[pm.pk]) not in html
    assert "You are an author, so a reviewer who did not write it publishes it." in html


def test_an_author_manager_gets_no_not_required_button_and_a_post_is_refused(
    manager_client, manager, team
):
    pm = PostmortemFactory(team=team)
    pm.authors.add(manager)
    url = reverse("postmortems:not_required", args=[pm.pk])
    assert url not in manager_client.get(pm.get_absolute_url()).content.decode()
    response = manager_client.post(url, {"reason": "A test page."}, follow=True)
    assert "you are an author" in response.content.decode()
    assert Postmortem.objects.get(pk=pm.pk).status == Postmortem.Status.DRAFT


def test_a_manager_who_did_not_write_it_sees_the_not_required_button(manager_client, alice, team):
    pm = PostmortemFactory(team=team)
    pm.authors.add(alice)
    html = manager_client.get(pm.get_absolute_url()).content.decode()
    assert reverse("postmortems:not_required", args=[pm.pk]) in html


def test_the_draft_page_lists_what_the_template_asks_for_before_review(alice_client, team):
    pm = PostmortemFactory(team=team, severity="SEV3", impact="")
    html = alice_client.get(pm.get_absolute_url()).content.decode()
    assert "Before review, the SEV3 template asks for" in html
    checklist = html[html.index('id="template-checklist"') :]
    assert "missing:</span> the impact" in checklist
    assert "done:</span> a summary" in checklist


def test_the_history_page_marks_a_self_review(alice_client, alice, team):
    team.allow_self_review = True
    team.save()
    pm = ReadyPostmortemFactory(team=team)
    pm.authors.add(alice)
    pm.reviewers.add(alice)
    services.postmortem_submit_for_review(postmortem=pm, by=alice)
    html = alice_client.get(reverse("postmortems:history", args=[pm.pk])).content.decode()
    assert "Self-review, as the team's settings allow" in html


# --- Team settings ---------------------------------------------------------------------------


def test_a_skipped_message_reads_once_not_no_webhook_twice(manager_client, team):
    message = SlackMessage.objects.create(team=team, kind="published", payload={"text": "x"})
    services.slack_message_attempt(message_id=message.pk)
    html = manager_client.get(team.get_absolute_url()).content.decode()
    assert "Not sent: no webhook" in html
    assert "no webhook configured" not in html


def test_the_settings_page_shows_the_template_grid(manager_client, team):
    html = manager_client.get(team.get_absolute_url()).content.decode()
    assert 'name="SEV1_review" value="detection_event" checked' in html
    assert 'name="SEV4_review" value="detection_event" aria-label' in html  # not ticked


def test_a_manager_saves_review_rules_without_touching_the_webhook(manager_client, team):
    team.slack_webhook_url = "https://hooks.slack.com/services/T/B/C"
    team.save()
    response = manager_client.post(
        reverse("postmortems:team_review_rules", args=[team.slug]),
        {
            "allow_self_review": "on",
            "SEV4_review": ["summary", "impact"],
            "SEV4_publish": ["factor"],
        },
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.allow_self_review
    assert team.slack_webhook_url == "https://hooks.slack.com/services/T/B/C"
    row = SeverityTemplate.objects.get(team=team, severity="SEV4")
    assert (row.before_review, row.before_publish) == (["summary", "impact"], ["factor"])


def test_an_unknown_requirement_is_a_form_error(manager_client, team):
    response = manager_client.post(
        reverse("postmortems:team_review_rules", args=[team.slug]), {"SEV1_review": ["nope"]}
    )
    assert response.status_code == 400
    assert SeverityTemplate.objects.get(team=team, severity="SEV1").before_review != []


def test_a_member_cannot_change_review_rules(alice_client, team):
    response = alice_client.post(
        reverse("postmortems:team_review_rules", args=[team.slug]), {"allow_self_review": "on"}
    )
    assert response.status_code == 404
    team.refresh_from_db()
    assert not team.allow_self_review
