"""The journeys' CSP watch (conftest ``_no_csp_violations``) sees a violation when one happens."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PostmortemFactory, ThemeFactory

from .conftest import htmx_settled, log_in

pytestmark = pytest.mark.e2e


def test_an_inline_style_is_refused_and_reported_to_the_journey(page: Page, site, csp_violations):
    page.goto(f"{site}/accounts/login/")
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_function("true")
    page.wait_for_timeout(300)
    assert [v["directive"] for v in csp_violations] == ["style-src-attr"]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    csp_violations.clear()  # seen on purpose: the journey's own check stays clean


def test_a_suggested_theme_is_ticked_by_the_static_script(page: Page, site, team, alice):
    theme = ThemeFactory(name="Alert fatigue", keywords="pager, noisy", slug="alert-fatigue")
    pm = PostmortemFactory(team=team)
    pm.authors.add(alice)
    log_in(page, site, alice)
    page.goto(f"{site}/postmortems/{pm.pk}/")
    page.locator("#factors").get_by_role("link", name="Add a contributing factor").click()
    form = page.locator("#factor-form-new")
    expect(form).to_be_visible()
    htmx_settled(page)
    form.locator("textarea[name$=description]").fill("The pager was noisy all night")
    suggestion = form.locator(f'[data-theme-suggestion="{theme.pk}"]')
    suggestion.click()
    expect(form.locator(f'input[type=checkbox][name$=themes][value="{theme.pk}"]')).to_be_checked()
    expect(suggestion).to_be_disabled()
