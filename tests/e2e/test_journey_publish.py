"""A reviewer publishes a postmortem and the team's Slack channel hears about it."""

import pytest
from playwright.sync_api import expect

from postmortems.models import Postmortem
from tests.factories import ActionItemFactory, ReadyPostmortemFactory

from .conftest import log_in

pytestmark = pytest.mark.e2e


def test_reviewer_publishes_and_the_team_slack_receives_the_message(
    page, site, team, alice, manager, slack_receiver, celery_eager
):
    team.slack_webhook_url = slack_receiver.url()
    team.save(update_fields=["slack_webhook_url"])
    postmortem = ReadyPostmortemFactory(
        team=team,
        title="Checkout timeouts after cache node swap",
        status=Postmortem.Status.IN_REVIEW,
        summary="Checkout requests timed out for 50 minutes after a cache node swap.",
    )
    postmortem.authors.add(alice)
    postmortem.reviewers.add(manager)
    ActionItemFactory(postmortem=postmortem, title="Alert when the warmer stops")

    log_in(page, site, manager)
    # The reviewer finds it on the home page, where reviews wait.
    page.locator("main").get_by_role("link", name=postmortem.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(postmortem.title)
    page.get_by_role("button", name="Publish", exact=True).click()

    expect(
        page.get_by_text("Published. A message to the Slack channel of Payments is on its way.")
    ).to_be_visible()
    expect(page.locator("header .status-published")).to_have_text("Published")
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)

    [request] = slack_receiver.wait_for(1)
    message = request["json"]
    assert request["path"] == "/services/T000/B000/XXXXXXXX"
    assert "Postmortem published: Checkout timeouts after cache node swap" in message["text"]
    assert "1 action items" in message["text"]
    assert f"/postmortems/{postmortem.pk}/" in message["text"]
    assert message["blocks"][0]["text"]["text"].startswith("Postmortem published:")
