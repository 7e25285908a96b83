"""The review rules in the browser: nobody reviews their own work, reviewers hear about it
(a Slack mention and their home page), and the severity template decides what is enough."""

import pytest
from playwright.sync_api import expect

from postmortems.models import Postmortem
from tests.factories import PostmortemFactory, ReadyPostmortemFactory

from .conftest import log_in

pytestmark = pytest.mark.e2e


def test_an_author_cannot_review_or_publish_their_own_postmortem(page, site, team, alice, manager):
    draft = ReadyPostmortemFactory(team=team, title="Queue backlog after a deploy")
    draft.authors.add(alice)
    draft.reviewers.add(alice)
    own = ReadyPostmortemFactory(
        team=team, title="Stale search results", status=Postmortem.Status.IN_REVIEW
    )
    own.authors.add(manager)
    own.reviewers.add(alice)

    log_in(page, site, alice)
    page.goto(f"{site}{draft.get_absolute_url()}")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("every reviewer is also an author")).to_be_visible()
    expect(page.locator("header .status-draft")).to_have_text("Draft")

    # A manager who wrote a postmortem is no exception: the Publish button is not there.
    page.context.clear_cookies()
    log_in(page, site, manager)
    page.goto(f"{site}{own.get_absolute_url()}")
    expect(page.locator("#self-review-note")).to_have_text(
        "You are an author, so a reviewer who did not write it publishes it."
    )
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    # Nor can they close it as "not required": that decides the review just the same.
    expect(page.get_by_role("button", name="Mark not required")).to_have_count(0)
    assert Postmortem.objects.get(pk=own.pk).status == Postmortem.Status.IN_REVIEW


def test_reviewers_are_mentioned_on_slack_and_find_it_on_their_home_page(
    page, site, team, alice, manager, slack_receiver, celery_eager
):
    team.slack_webhook_url = slack_receiver.url()
    team.save(update_fields=["slack_webhook_url"])
    manager.profile.slack_member_id = "U0MONA42"
    manager.profile.save()
    draft = ReadyPostmortemFactory(team=team, title="Ledger drift after replica lag")
    draft.authors.add(alice)
    draft.reviewers.add(manager)

    log_in(page, site, alice)
    page.goto(f"{site}{draft.get_absolute_url()}")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent for review to Mona Park")).to_be_visible()
    expect(
        page.get_by_text("A message to the Slack channel of Payments is on its way.")
    ).to_be_visible()

    [request] = slack_receiver.wait_for(1)
    assert request["json"]["text"].startswith(
        "<@U0MONA42>: please review *Ledger drift after replica lag* (SEV3)"
    )

    # The author sees it waiting; the reviewer finds it under "Waiting for my review".
    page.goto(f"{site}/")
    expect(page.locator("#my-in-review")).to_contain_text("Ledger drift after replica lag")
    page.context.clear_cookies()
    log_in(page, site, manager)
    waiting = page.locator("#awaiting-my-review")
    expect(waiting).to_contain_text("Ledger drift after replica lag")
    waiting.get_by_role("link", name="Ledger drift after replica lag").click()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_be_visible()


def test_a_teams_severity_template_decides_what_is_enough_for_review(
    page, site, team, alice, manager
):
    # The manager asks SEV4 postmortems for their impact before review.
    log_in(page, site, manager)
    page.goto(f"{site}{team.get_absolute_url()}")
    page.get_by_label("SEV4, before review: the impact").check()
    page.get_by_role("button", name="Save review rules").click()
    expect(page.get_by_text("Review rules saved.")).to_be_visible()

    draft = PostmortemFactory(team=team, severity="SEV4", title="Slow admin exports")
    draft.authors.add(alice)
    draft.reviewers.add(manager)
    page.context.clear_cookies()
    log_in(page, site, alice)
    page.goto(f"{site}{draft.get_absolute_url()}")
    checklist = page.locator("#template-checklist")
    expect(checklist).to_contain_text("Before review, the SEV4 template asks for")
    expect(checklist).to_contain_text("missing: the impact")

    page.get_by_role("button", name="Send for review").click()
    expect(
        page.get_by_text("Not sent for review: this SEV4 postmortem still needs the impact.")
    ).to_be_visible()

    page.get_by_role("link", name="Edit").first.click()
    page.locator("#id_impact").fill("Exports took ten minutes for two hours.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent for review to Mona Park")).to_be_visible()
    assert Postmortem.objects.get(pk=draft.pk).status == Postmortem.Status.IN_REVIEW


def test_enter_in_a_new_title_moves_on_instead_of_saving_an_empty_draft(page, site, alice):
    log_in(page, site, alice)
    page.goto(f"{site}/postmortems/new/")
    page.locator("#id_title").fill("Payments latency")
    page.locator("#id_title").press("Enter")
    expect(page.locator("#id_severity")).to_be_focused()
    expect(page).to_have_url(f"{site}/postmortems/new/")
    assert not Postmortem.objects.exists()
