"""Writing a postmortem with the keyboard alone: Tab, Enter and typing, never the mouse."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from postmortems.models import Postmortem

from .conftest import htmx_settled

pytestmark = pytest.mark.e2e

MAX_TABS = 250


def focused(page, selector):
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page, selector):
    """Press Tab until the element matching ``selector`` has the focus, as a person would."""
    for _ in range(MAX_TABS):
        if focused(page, selector):
            return page.locator(selector)
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus after {MAX_TABS} Tab presses")


def focus_is_visible(page):
    """The focused element draws a visible outline (not only a colour change)."""
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def htmx_targets_without_live_region(page):
    """The htmx targets on the page that are not inside an aria-live region."""
    return page.evaluate(
        """() => {
            const missing = [];
            for (const el of document.querySelectorAll("[hx-target]")) {
                const selector = el.getAttribute("hx-target");
                if (!selector.startsWith("#")) continue;
                const target = document.querySelector(selector);
                if (!target) continue;
                if (!target.closest("[aria-live]")) missing.push(selector);
            }
            return [...new Set(missing)];
        }"""
    )


def type_datetime(page, selector, *, month, day, year, hour, minute, ampm):
    """A date and time is one box and one Tab stop: typed as "2026-11-20 23:40"."""
    field = tab_to(page, selector)
    hour24 = hour % 12 + (12 if ampm == "P" else 0)
    page.keyboard.type(f"{year:04d}-{month:02d}-{day:02d} {hour24:02d}:{minute:02d}")
    expect(field).to_have_value(f"{year:04d}-{month:02d}-{day:02d} {hour24:02d}:{minute:02d}")


def tab_stops_between(page, first, second):
    """How many Tab presses lead from the focused ``first`` to ``second``."""
    tab_to(page, first)
    for count in range(1, 20):
        page.keyboard.press("Tab")
        if focused(page, second):
            return count
    raise AssertionError(f"{second} did not follow {first}")


def on(date):
    return {"month": date.month, "day": date.day, "year": date.year}


def add_event_by_keyboard(page, *, when, kind, text):
    type_datetime(page, "#id_event_new_occurred_at", **when)
    tab_to(page, "#id_event_new_kind")
    page.keyboard.type(kind)
    tab_to(page, "#id_event_new_text")
    page.keyboard.type(text)
    tab_to(page, "#timeline-form-new button[type=submit]")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#timeline").get_by_text(text)).to_be_visible()


def test_postmortem_is_written_and_sent_for_review_with_the_keyboard_only(
    page, site, alice, manager
):
    page.goto(f"{site}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(alice.username)
    tab_to(page, "#id_password")
    page.keyboard.type("correct-horse-battery")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome back")

    tab_to(page, "main a[href='/postmortems/new/']")
    assert focus_is_visible(page), "the focused link shows no outline"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("New postmortem")

    # The title has the focus when the page opens; live previews are announced.
    expect(page.locator("#id_title")).to_be_focused()
    assert htmx_targets_without_live_region(page) == []
    page.keyboard.type("Search index lag after a mapping change")
    tab_to(page, "#id_severity")
    page.keyboard.type("SEV4")
    # A reviewer who is not the author, picked by typing in the list.
    tab_to(page, "#id_reviewers")
    page.keyboard.type("Mona")
    tab_to(page, "#id_summary")
    assert focus_is_visible(page), "the focused textarea shows no outline"
    page.keyboard.type("Search results were up to 40 minutes stale.")
    tab_to(page, "#postmortem-form [type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Draft saved.")).to_be_visible()

    postmortem = Postmortem.objects.get(title="Search index lag after a mapping change")
    assert postmortem.severity == "SEV4"
    assert list(postmortem.reviewers.all()) == [manager]
    # The event form loads when asked, with the focus in its first box.
    tab_to(page, "#timeline-add-slot a")
    page.keyboard.press("Enter")
    expect(page.locator("#id_event_new_occurred_at")).to_be_focused()
    htmx_settled(page)
    # Each date-time box is one Tab stop (datetime-local cost six or seven).
    assert tab_stops_between(page, "#id_event_new_occurred_at", "#id_event_new_kind") == 1

    day = timezone.localdate() - datetime.timedelta(days=3)
    next_day = day + datetime.timedelta(days=1)
    add_event_by_keyboard(
        page,
        when={**on(day), "hour": 11, "minute": 40, "ampm": "P"},
        kind="Detection",
        text="Lag alert fired for the products index.",
    )
    add_event_by_keyboard(
        page,
        when={**on(next_day), "hour": 12, "minute": 20, "ampm": "A"},
        kind="Repair",
        text="Reindex finished and lag returned to normal.",
    )
    expect(page.locator("#timeline .timeline-day")).to_have_count(2)

    # The table of contents is early in the page: a few Tabs from the top, then Enter.
    page.goto(page.url.split("#")[0])
    stops = 0
    while not focused(page, ".postmortem-toc a[href='#factor-add-slot']"):
        page.keyboard.press("Tab")
        stops += 1
        assert stops < 30, "the table of contents is more than 30 Tab stops away"
    page.keyboard.press("Enter")
    tab_to(page, "#factors a")
    page.keyboard.press("Enter")
    tab_to(page, "#id_factor_new_category")
    page.keyboard.type("Monitoring")
    tab_to(page, "#id_factor_new_description")
    page.keyboard.type("Index lag had no alert below 30 minutes.")
    tab_to(page, "#factor-form-new button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#factors")).to_contain_text("Index lag had no alert below 30 minutes.")

    # Timeline, factors and action items are swapped in place by htmx: announced politely.
    assert htmx_targets_without_live_region(page) == []

    tab_to(page, "form[action$='/submit/'] button")
    assert focus_is_visible(page), "the focused button shows no outline"
    page.keyboard.press("Enter")
    expect(page.get_by_text("Sent for review to Mona Park")).to_be_visible()
    expect(page.locator("header .status-in_review")).to_have_text(re.compile("In review"))

    postmortem.refresh_from_db()
    assert postmortem.status == Postmortem.Status.IN_REVIEW
    assert [e.text for e in postmortem.timeline_events.order_by("occurred_at")] == [
        "Lag alert fired for the products index.",
        "Reindex finished and lag returned to normal.",
    ]
    assert postmortem.factors.get().category == "monitoring"
