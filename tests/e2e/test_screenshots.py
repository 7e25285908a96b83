"""Screenshots of the main pages with the demo organisation, for the README.

``make screenshots`` sets ``SCREENSHOTS_DIR=docs/screenshots`` and refreshes the committed
PNGs. In the ordinary test run they go to a temporary folder, so the test still checks that
every page renders with the demo data without touching the working tree.
"""

import io
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from demo.management.commands.seed_demo import DEMO_PASSWORD
from postmortems.models import Postmortem

from .conftest import log_in

pytestmark = pytest.mark.e2e

MAX_BYTES = 300 * 1024
# Long pages are cut: a screenshot shows what a page looks like, not all of it, and a
# README image should stay small.
MAX_HEIGHT = 2000
HEIGHT_STEP = 200


@pytest.fixture
def screenshots_dir(tmp_path):
    configured = os.environ.get("SCREENSHOTS_DIR")
    if not configured:
        return tmp_path
    folder = Path(configured)
    if not folder.is_absolute():
        folder = Path(settings.BASE_DIR) / folder
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shoot(page, folder, name, *, width=1280):
    """A full-page PNG ``width`` px wide, cut shorter until it is under MAX_BYTES."""
    path = folder / f"{name}.png"
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    while True:
        page.screenshot(
            path=path,
            full_page=True,
            clip={"x": 0, "y": 0, "width": width, "height": height},
            animations="disabled",
            caret="hide",
        )
        size = path.stat().st_size
        if size < MAX_BYTES or height <= 800:
            break
        height -= HEIGHT_STEP
    assert 0 < size < MAX_BYTES, f"{path.name} is {size // 1024} KB"
    return path


def test_screenshots_of_the_main_pages_with_the_demo_data(page, site, screenshots_dir):
    call_command("seed_demo", stdout=io.StringIO())

    alice = get_user_model().objects.get(username="alice")
    postmortem = Postmortem.objects.get(title="Card payments declined after a certificate rotation")

    log_in(page, site, alice, password=DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice")
    shots = [shoot(page, screenshots_dir, "home")]

    page.goto(f"{site}/postmortems/{postmortem.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(postmortem.title)
    expect(page.locator("#timeline .timeline-events > li").first).to_be_visible()
    shots.append(shoot(page, screenshots_dir, "postmortem"))

    page.goto(f"{site}/actions/")
    expect(page.locator("#item-list tbody tr").first).to_be_visible()
    shots.append(shoot(page, screenshots_dir, "dashboard"))

    page.goto(f"{site}/kaizen/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shots.append(shoot(page, screenshots_dir, "kaizen"))

    page.goto(f"{site}/metrics/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shots.append(shoot(page, screenshots_dir, "metrics"))

    # The editor while a blaming sentence is typed: the hint appears under the section.
    page.goto(f"{site}/postmortems/{postmortem.pk}/edit/")
    summary = page.locator("#id_summary")
    summary.focus()
    page.keyboard.press("Control+End")
    summary.press_sequentially(" The on-call engineer forgot to check the chain.", delay=5)
    hints = page.locator("#hints-id_summary")
    expect(hints.locator("mark").first).to_be_visible()
    expect(hints).to_contain_text(re.compile("may read as blame"))
    hints.scroll_into_view_if_needed()
    page.evaluate("window.scrollTo(0, 0)")
    shots.append(shoot(page, screenshots_dir, "editor-blame-hint"))

    assert [p.name for p in shots] == [
        "home.png",
        "postmortem.png",
        "dashboard.png",
        "kaizen.png",
        "metrics.png",
        "editor-blame-hint.png",
    ]


PHONE = {"width": 390, "height": 844}


def page_size(page):
    return page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )


def test_phone_width_screenshots_of_the_dashboard_and_the_postmortem(page, site, screenshots_dir):
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    alice = get_user_model().objects.get(username="alice")
    postmortem = Postmortem.objects.get(title="Card payments declined after a certificate rotation")
    page.set_viewport_size(PHONE)
    log_in(page, site, alice, password=DEMO_PASSWORD)

    page.goto(f"{site}/actions/")
    # The filters are folded away and the list comes first; rows are cards, no sideways scroll.
    expect(page.locator("details.dashboard-filters")).not_to_have_attribute("open", "")
    expect(page.locator("#item-list thead")).not_to_be_in_viewport()
    width, height = page_size(page)
    assert width <= PHONE["width"], f"the dashboard scrolls sideways ({width} px)"
    print(f"dashboard at 390 px: {height} px tall")
    dashboard = shoot(page, screenshots_dir, "dashboard-phone", width=PHONE["width"])

    page.goto(f"{site}/postmortems/{postmortem.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(postmortem.title)
    width, height = page_size(page)
    assert width <= PHONE["width"], f"the postmortem scrolls sideways ({width} px)"
    print(f"postmortem at 390 px: {height} px tall")
    shot = shoot(page, screenshots_dir, "postmortem-phone", width=PHONE["width"])
    assert [dashboard.name, shot.name] == ["dashboard-phone.png", "postmortem-phone.png"]
