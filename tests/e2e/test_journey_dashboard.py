"""A manager finds overdue follow-ups on the dashboard, assigns them and exports the list."""

import csv
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import ActionItem
from tests.factories import ActionItemFactory, PostmortemFactory

from .conftest import log_in

pytestmark = pytest.mark.e2e


def test_manager_filters_overdue_items_assigns_them_and_downloads_the_csv(
    page, site, team, alice, manager
):
    postmortem = PostmortemFactory(team=team, title="Checkout timeouts after cache node swap")
    today = timezone.localdate()
    overdue = ActionItemFactory(
        postmortem=postmortem,
        title="Add the cache warmer to the runbook",
        due_date=today - datetime.timedelta(days=5),
    )
    ActionItemFactory(
        postmortem=postmortem,
        title="Alert when the warmer stops",
        due_date=today + datetime.timedelta(days=20),
    )

    log_in(page, site, manager)
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Actions"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action items")
    item_list = page.locator("#item-list")
    expect(item_list.get_by_role("link", name="Alert when the warmer stops")).to_be_visible()

    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]overdue=1"))
    expect(page.get_by_role("heading", name="1 item")).to_be_visible()
    row = item_list.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Add the cache warmer to the runbook")
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("unassigned")

    row.get_by_role("checkbox").check()
    # The bulk form's assignee: a username, people matching it fetched as one types.
    bulk_assignee = page.get_by_label("Assign to")
    bulk_assignee.fill("kim")
    expect(page.locator('#bulk-assignee-people option[value="alice"]')).to_have_count(1)
    bulk_assignee.fill("alice")
    page.get_by_role("button", name="Apply to checked").click()
    expect(page.get_by_text("1 item updated.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]overdue=1"))
    expect(item_list.locator("tbody tr")).to_contain_text("Alice Kim")
    overdue.refresh_from_db()
    assert overdue.assignee == alice

    # The assignee filter: people matching what is typed are fetched as one types.
    assignee = page.get_by_label("Assignee", exact=True)
    assignee.fill("kim")
    expect(page.locator('#f-assignee-people option[value="alice"]')).to_have_count(1)
    assignee.fill("alice")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"[?&]assignee_username=alice"))
    expect(item_list.locator("tbody tr")).to_have_count(1)
    expect(assignee).to_have_value("alice")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"action-items-{today.isoformat()}.csv"
    with open(download.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.DictReader(exported))
    assert [(r["title"], r["assignee"], r["status"]) for r in rows] == [
        ("Add the cache warmer to the runbook", "alice", ActionItem.Status.OPEN.value)
    ]
