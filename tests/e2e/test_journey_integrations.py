"""From an alert to a done follow-up: PagerDuty's resolved incident becomes a draft with its
timeline, the author imports the incident's Slack channel, creates a GitHub issue from an
action item, and when the (loopback) GitHub closes the issue the item shows done."""

import urllib.request

import pytest
from playwright.sync_api import expect

from integrations.alerts import services as alert_services
from integrations.pagerduty.tests import payloads as pd
from integrations.slack_import.tests.export_factory import write_export
from integrations.trackers import services as tracker_services
from integrations.trackers.tests.fixtures import GITHUB_TOKEN
from postmortems.models import Postmortem
from tests.factories import ActionItemFactory

from .conftest import log_in

pytestmark = pytest.mark.e2e


def send_pagerduty(site, source, secret, payload):
    raw = pd.body(payload)
    request = urllib.request.Request(
        site + source.get_absolute_url(),
        data=raw,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-PagerDuty-Signature": pd.signature(secret, raw),
        },
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def test_alert_to_draft_to_slack_timeline_to_github_issue_closed_there(
    page, site, alice, team, github_server, celery_eager, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    # 1. PagerDuty: triggered, acknowledged, resolved -> a draft with its timeline.
    source, secret = alert_services.alert_source_create(team=team, kind="pagerduty")
    for payload in (pd.triggered(), pd.acknowledged(), pd.resolved()):
        assert send_pagerduty(site, source, secret, payload) == 200

    log_in(page, site, alice)
    page.goto(f"{site}/postmortems/")
    page.get_by_role("link", name="Checkout API error rate above 5%").click()
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Acknowledged by Alice Kim")).to_be_visible()
    expect(timeline.locator(".timeline-source").first).to_have_text("PagerDuty")

    # 2. The incident's Slack channel: upload the export, pick two messages, import.
    export = tmp_path / "slack-export.zip"
    write_export(export, messages=3_000)
    page.get_by_role("link", name="Import messages from the incident's Slack channel").click()
    page.get_by_label("Slack export (.zip)").set_input_files(str(export))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Channel").select_option("incident-42")
    page.get_by_role("button", name="Show messages").click()
    rows = page.locator("#slack-messages tbody tr")
    expect(rows.first).to_be_visible()
    first_text = rows.nth(3).locator("td").nth(3).inner_text().strip()
    rows.nth(3).get_by_role("checkbox").check()
    rows.nth(3).locator("select").select_option("diagnosis")
    page.get_by_role("button", name="Import ticked messages").click()
    expect(page.get_by_text("1 timeline event imported from Slack.")).to_be_visible()
    expect(page.locator("#timeline").get_by_text("Slack #incident-42")).to_be_visible()
    expect(page.locator("#timeline").get_by_text(first_text.split("—")[0].strip())).to_be_visible()

    # 3. An action item goes to GitHub.
    connection, webhook_secret = tracker_services.connection_create(
        team=team, kind="github", project="acme/payments", token=GITHUB_TOKEN
    )
    github_server.webhook_url = site + connection.webhook_path()
    github_server.webhook_secret = webhook_secret
    item = ActionItemFactory(
        postmortem=Postmortem.objects.get(), team=team, title="Alert on checkout error budget"
    )
    page.goto(f"{site}/actions/{item.pk}/")
    page.get_by_role("button", name="Create issue in GitHub Issues (acme/payments)").click()
    expect(page.locator("#tracker-ticket")).to_have_text("#1")
    assert github_server.issues[1]["title"] == "Alert on checkout error budget"

    # 4. Someone closes it in GitHub; the webhook comes back and the item is done.
    assert github_server.close(1, actor="octocat") == 200
    page.reload()
    expect(page.locator("#item-status")).to_have_text("Done")
    expect(page.get_by_text("GitHub issue #1 closed by octocat")).to_be_visible()
