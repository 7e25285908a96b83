"""Restricted work stays invisible to people outside the team: 404, and not in search."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PostmortemFactory

from .conftest import log_in

pytestmark = pytest.mark.e2e


def test_outsider_gets_404_for_a_restricted_postmortem_and_does_not_find_it(
    page, site, team, outsider
):
    hidden = PostmortemFactory(
        team=team, title="Ledger reconciliation drift", restricted=True, summary="Ledger drift."
    )
    PostmortemFactory(team=team, title="Ledger export slowness", summary="Ledger exports slow.")

    log_in(page, site, outsider)
    response = page.goto(f"{site}/postmortems/{hidden.pk}/")
    assert response.status == 404
    expect(page.get_by_text("Ledger reconciliation drift")).to_have_count(0)

    page.goto(f"{site}/postmortems/")
    page.get_by_role("searchbox", name="Search").fill("Ledger")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]q=Ledger"))
    results = page.locator("main table tbody")
    expect(results.get_by_role("link", name="Ledger export slowness")).to_be_visible()
    expect(results.locator("tr")).to_have_count(1)
    expect(page.get_by_text("Ledger reconciliation drift")).to_have_count(0)
