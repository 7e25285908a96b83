"""The journeys' CSP watch (conftest ``_no_csp_violations``) sees a violation when one happens."""

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e


def test_an_inline_style_is_refused_and_reported_to_the_journey(page: Page, site, csp_violations):
    page.goto(f"{site}/accounts/login/")
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_function("true")
    page.wait_for_timeout(300)
    assert [v["directive"] for v in csp_violations] == ["style-src-attr"]
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    csp_violations.clear()  # seen on purpose: the journey's own check stays clean
