"""An author tells the live hints that a flagged sentence is not blame."""

import pytest
from playwright.sync_api import expect

from postmortems.models import BlameDismissal
from tests.factories import PostmortemFactory, TimelineEventFactory

from .conftest import htmx_settled, log_in

pytestmark = pytest.mark.e2e

QUOTE = "Root cause: human error during the failover."


def test_author_marks_a_hint_not_blame_and_it_stays_away_while_typing(page, site, alice, team):
    postmortem = PostmortemFactory(team=team, summary="Checkout timed out.")
    postmortem.authors.add(alice)
    log_in(page, site, alice)
    page.goto(f"{site}/postmortems/{postmortem.pk}/edit/")

    summary = page.locator("#id_summary")
    summary.fill("")
    summary.press_sequentially(QUOTE, delay=5)
    hints = page.locator("#hints-id_summary")
    expect(hints.locator("mark").first).to_contain_text("human error")

    hints.get_by_placeholder("Reason (optional)").fill("We quote the vendor.")
    hints.get_by_role("button", name="Not blame").click()
    expect(hints).to_contain_text("Marked as not blame")

    summary.press_sequentially(" We rolled back at 10:31.", delay=5)
    expect(hints).to_contain_text("No blaming language found.")
    dismissal = BlameDismissal.objects.get()
    assert (dismissal.sentence, dismissal.reason) == (QUOTE, "We quote the vendor.")


def test_not_blame_on_a_timeline_event_is_kept_for_that_event(page, site, alice, team):
    postmortem = PostmortemFactory(team=team, summary="Checkout timed out.")
    postmortem.authors.add(alice)
    event = TimelineEventFactory(postmortem=postmortem, text="Rolled back the deploy.")
    log_in(page, site, alice)
    page.goto(f"{site}/postmortems/{postmortem.pk}/timeline/")

    row = page.locator(f"#timeline-event-{event.pk}")
    row.get_by_role("link", name="Edit").click()
    # The loaded form moves the focus to its first field: the browser as the field arrives
    # (``autofocus``), then htmx again once the swap settles. Typing before the second
    # would lose the keys that follow it to that field.
    expect(row.locator("input[name=occurred_at]")).to_be_focused()
    htmx_settled(page)
    text = page.locator(f"#id_event_{event.pk}_text")
    text.fill("")
    text.press_sequentially(QUOTE, delay=5)
    hints = page.locator(f"#hints-id_event_{event.pk}_text")
    expect(hints.locator("mark").first).to_contain_text("human error")
    hints.get_by_role("button", name="Not blame").click()
    expect(hints).to_contain_text("Marked as not blame")
    assert BlameDismissal.objects.get().location == f"event:{event.pk}"
