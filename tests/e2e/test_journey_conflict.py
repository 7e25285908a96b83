"""Two people edit the same postmortem; the later save gets the conflict page, losing nothing."""

import pytest
from playwright.sync_api import expect

from tests.factories import PostmortemFactory

from .conftest import log_in

pytestmark = pytest.mark.e2e

THEIRS = "The cache warmer was stopped by the node swap and nothing noticed."
MINE = "Checkout timed out because the new cache node started cold."


def test_second_save_of_the_same_postmortem_shows_the_conflict_page_with_both_texts(
    new_page, site, team, alice, manager
):
    postmortem = PostmortemFactory(team=team, title="Checkout timeouts")
    postmortem.authors.add(alice)
    edit_url = f"{site}/postmortems/{postmortem.pk}/edit/"

    first, second = new_page(), new_page()
    log_in(first, site, manager)
    log_in(second, site, alice)
    first.goto(edit_url)
    second.goto(edit_url)

    first.locator("#id_summary").fill(THEIRS)
    first.get_by_role("button", name="Save", exact=True).click()
    expect(first.get_by_text("Saved.", exact=True)).to_be_visible()

    second.locator("#id_summary").fill(MINE)
    with second.expect_response(
        lambda r: r.request.method == "POST" and r.url == edit_url
    ) as response_info:
        second.get_by_role("button", name="Save", exact=True).click()
    assert response_info.value.status == 409

    expect(
        second.get_by_text("Someone else saved this postmortem while you were editing.")
    ).to_be_visible()
    expect(second.get_by_text("Last saved by Mona Park")).to_be_visible()
    expect(second.locator("#theirs-summary")).to_have_value(THEIRS)
    expect(second.locator("#mine-summary")).to_have_value(MINE)
    # The form keeps what this person typed, ready to merge and save again.
    expect(second.locator("#id_summary")).to_have_value(MINE)

    postmortem.refresh_from_db()
    assert postmortem.summary == THEIRS
