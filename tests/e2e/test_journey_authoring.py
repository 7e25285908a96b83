"""An engineer writes a postmortem from scratch and sends it for review."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from postmortems.models import Postmortem

from .conftest import htmx_settled, log_in

pytestmark = pytest.mark.e2e

BLAMING = "The on-call engineer forgot to restart the cache warmer after the node swap."
BLAMELESS = (
    "The node swap runbook has no step for the cache warmer, and nothing alerts when "
    "the warmer is stopped."
)


def add_timeline_event(page, *, when, kind, text):
    form = page.locator("#timeline-form-new")
    if not form.is_visible():
        # The add form loads when asked; after an event is added it stays open.
        page.locator("#timeline").get_by_role("link", name="Add an event").click()
        expect(form).to_be_visible()
        htmx_settled(page)
        expect(form.locator("input[name=occurred_at]")).to_be_focused()
    form.locator("input[name=occurred_at]").fill(when)
    form.locator("select[name=kind]").select_option(kind)
    form.locator("textarea[name=text]").fill(text)
    form.get_by_role("button", name="Add event").click()
    expect(page.locator("#timeline").get_by_text(text)).to_be_visible()


def test_engineer_writes_a_postmortem_and_sends_it_for_review(page, site, alice, manager):
    # Last week, across midnight (the people here read times in UTC).
    day = timezone.localdate() - datetime.timedelta(days=7)
    next_day = day + datetime.timedelta(days=1)
    log_in(page, site, alice)
    page.get_by_role("link", name="Write a postmortem").click()

    page.get_by_label("Title").fill("Checkout timeouts after cache node swap")
    page.get_by_label("Severity").select_option("SEV2")
    page.get_by_label("Reviewers").select_option(label="Mona Park (mona)")
    page.locator("#id_started_at").fill(f"{day}T23:10")
    page.locator("#id_detected_at").fill(f"{day}T23:32")
    page.locator("#id_resolved_at").fill(f"{next_day}T00:05")
    page.locator("#id_summary").fill("Checkout requests timed out for 50 minutes.")
    page.locator("#id_impact").fill("About 4,000 checkouts failed.")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Checkout timeouts after cache node swap"
    )

    # A timeline across midnight: each day gets its own divider.
    add_timeline_event(page, when=f"{day}T23:10:00", kind="note", text="Cache node swapped.")
    add_timeline_event(
        page, when=f"{day}T23:32:00", kind="detection", text="Checkout latency alert."
    )
    add_timeline_event(
        page, when=f"{next_day}T00:05:00", kind="repair", text="Cache warmer restarted."
    )
    days = page.locator("#timeline .timeline-day")
    expect(days).to_have_count(2)
    expect(days.nth(0)).to_contain_text(day.isoformat())
    expect(days.nth(1)).to_contain_text(next_day.isoformat())

    # Editing an event: the rows get their Edit links when asked, the form takes the row's
    # place with the focus in it, Cancel brings the row back, Save changes it.
    timeline = page.locator("#timeline")
    timeline.get_by_role("link", name="Edit events").click()
    expect(timeline.get_by_role("link", name="Done editing")).to_be_focused()
    htmx_settled(page)
    first = timeline.locator(".timeline-events > li").first
    first_id = first.get_attribute("id")
    first.get_by_role("link", name="Edit").click()
    row = page.locator(f"#{first_id}")
    edit_form = row.locator("form.timeline-event-form")
    expect(edit_form).to_be_visible()
    htmx_settled(page)
    expect(row.locator("input[name=occurred_at]")).to_be_focused()
    row.locator("textarea[name=text]").fill("Typed, then cancelled.")
    row.get_by_role("link", name="Cancel").click()
    expect(edit_form).to_have_count(0)
    expect(row).to_contain_text("Cache node swapped.")
    expect(row.get_by_role("link", name="Edit")).to_be_focused()
    htmx_settled(page)
    row.get_by_role("link", name="Edit").click()
    expect(edit_form).to_be_visible()
    htmx_settled(page)
    row.locator("textarea[name=text]").fill("Cache node **swapped** at 23:10.")
    row.get_by_role("button", name="Save event").click()
    expect(timeline.locator("strong", has_text="swapped")).to_be_visible()
    expect(timeline.locator("form#timeline-form-" + first_id.rsplit("-", 1)[1])).to_have_count(0)

    # A contributing factor: the blame hint appears while typing, and goes once reworded.
    page.locator("#factors").get_by_role("link", name="Add a contributing factor").click()
    factor_form = page.locator("#factor-form-new")
    expect(factor_form).to_be_visible()
    htmx_settled(page)
    factor_form.get_by_label("Category").select_option("process")
    description = factor_form.get_by_label("Description (Markdown)")
    description.press_sequentially(BLAMING, delay=5)
    hints = page.locator(f"#hints-{description.get_attribute('id')}")
    expect(hints.locator("mark").first).to_be_visible()
    expect(hints).to_contain_text(re.compile(r"may read as blame"))

    description.fill("")
    description.press_sequentially(BLAMELESS, delay=2)
    expect(hints).to_contain_text("No blaming language found.")
    expect(hints.locator("mark")).to_have_count(0)
    factor_form.get_by_role("button", name="Add factor").click()
    expect(page.locator("#factors .contributing-factor")).to_have_count(1)
    expect(page.locator("#factors")).to_contain_text("nothing alerts when the warmer is stopped")
    expect(page.locator("#factors")).not_to_contain_text("forgot")

    # Editing the factor in place.
    factor = page.locator("#factors .contributing-factor").first
    factor_id = factor.get_attribute("id")
    factor.get_by_role("link", name="Edit").click()
    card = page.locator(f"#{factor_id}")
    expect(card.locator("form.factor-form")).to_be_visible()
    htmx_settled(page)
    expect(card.get_by_label("Category")).to_be_focused()
    card.get_by_label("Category").select_option("monitoring")
    card.get_by_role("button", name="Save factor").click()
    expect(page.locator(f"#{factor_id}")).to_contain_text("Monitoring")
    expect(page.locator(f"#{factor_id} form")).to_have_count(0)

    # Two action items from the inline form.
    actions = page.locator("#postmortem-actions")
    for title in ("Add the cache warmer to the node swap runbook", "Alert when the warmer stops"):
        actions.get_by_label("Title").fill(title)
        actions.get_by_role("button", name="Add", exact=True).click()
        expect(page.locator("#postmortem-actions").get_by_role("link", name=title)).to_be_visible()
    expect(page.locator("#postmortem-actions tbody tr")).to_have_count(2)

    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent for review to Mona Park")).to_be_visible()
    expect(page.locator("header .status-in_review")).to_have_text("In review")
    expect(page.get_by_role("button", name="Send for review")).to_have_count(0)

    postmortem = Postmortem.objects.get(title="Checkout timeouts after cache node swap")
    assert postmortem.status == Postmortem.Status.IN_REVIEW
    assert postmortem.timeline_events.count() == 3
    assert postmortem.action_items.count() == 2
    assert postmortem.timeline_events.filter(text__contains="**swapped**").count() == 1
    assert postmortem.factors.get().category == "monitoring"
