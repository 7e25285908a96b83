"""axe-core on every main page, in English and in Korean: no serious or critical violation."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import (
    ActionItemFactory,
    ContributingFactorFactory,
    PostmortemFactory,
    TimelineEventFactory,
)

from .conftest import log_in

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = {"serious", "critical"}

axe = Axe()


def blocking_violations(page):
    results = axe.run(page)
    problems = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
        problems.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return problems


@pytest.fixture
def written_postmortem(team, manager, alice):
    started = timezone.now() - datetime.timedelta(days=3)
    postmortem = PostmortemFactory(
        team=team,
        title="Checkout latency after cache node swap",
        started_at=started,
        impact="About 4% of checkouts timed out for 40 minutes.",
    )
    postmortem.authors.add(alice)
    postmortem.reviewers.add(manager)
    TimelineEventFactory(postmortem=postmortem, occurred_at=started, text="Cache node replaced.")
    TimelineEventFactory(
        postmortem=postmortem,
        occurred_at=started + datetime.timedelta(days=1),
        kind="detection",
        text="Latency alert fired.",
    )
    factor = ContributingFactorFactory(postmortem=postmortem)
    item = ActionItemFactory(
        postmortem=postmortem,
        factor=factor,
        title="Alert on cache hit ratio",
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    return postmortem, item


def main_pages(team, postmortem, item):
    return [
        ("home", "/"),
        ("postmortem list", "/postmortems/"),
        ("postmortem detail", f"/postmortems/{postmortem.pk}/"),
        ("postmortem edit", f"/postmortems/{postmortem.pk}/edit/"),
        ("dashboard", "/actions/"),
        ("action item", f"/actions/{item.pk}/"),
        ("Kaizen", "/kaizen/"),
        ("metrics", "/metrics/"),
        ("team settings", f"/teams/{team.slug}/settings/"),
    ]


def switch_language(page, language_name):
    """Through the user menu, as a person would."""
    page.locator("#nav-main").get_by_role("button", name=re.compile("Mona")).click()
    # Choosing a language applies it at once (the Go button is only there without script).
    with page.expect_navigation():
        page.locator("#nav-language").select_option(label=language_name)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_main_pages_have_no_serious_accessibility_violations(
    page, site, team, manager, written_postmortem, language
):
    postmortem, item = written_postmortem
    page.goto(f"{site}/accounts/login/")
    found = {}
    if language == "en":
        found["login"] = blocking_violations(page)
    log_in(page, site, manager)
    if language == "ko":
        switch_language(page, "한국어")
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        page.context.clear_cookies(name="sessionid")
        page.goto(f"{site}/accounts/login/")
        expect(page.locator("html")).to_have_attribute("lang", "ko")
        found["login"] = blocking_violations(page)
        log_in(page, site, manager)

    for name, path in main_pages(team, postmortem, item):
        response = page.goto(site + path)
        assert response.status == 200, f"{name} ({path}) answered {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("main h1").first).to_be_visible()
        found[name] = blocking_violations(page)

    assert {name: v for name, v in found.items() if v} == {}


def test_live_hints_and_inline_forms_have_no_serious_accessibility_violations(
    page, site, team, manager, written_postmortem
):
    postmortem, _item = written_postmortem
    log_in(page, site, manager)

    page.goto(f"{site}/postmortems/{postmortem.pk}/edit/")
    page.locator("#id_went_well").press_sequentially("The on-call engineer forgot to page us.")
    expect(page.locator("#hints-id_went_well mark").first).to_be_visible()
    expect(page.locator("#preview-went_well")).to_contain_text("forgot to page us")
    assert blocking_violations(page) == []

    page.goto(f"{site}/postmortems/{postmortem.pk}/")
    page.locator("#factors").get_by_role("link", name="Add a contributing factor").click()
    expect(page.locator("#factor-form-new")).to_be_visible()
    assert blocking_violations(page) == []
