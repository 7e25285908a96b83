"""Browser journeys: Debian's Chromium driven by Playwright against Django's live server.

Playwright's own browser download is not used: the journeys run the system Chromium at
``/usr/bin/chromium``. Without it they skip locally and fail on CI (``CI=true``), like the
other tests that need a real service.
"""

import os
import re

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.fixtures import ON_CI

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
]
# Generous enough for two shared cores, short enough that a broken page fails quickly.
EXPECT_TIMEOUT_MS = 10_000

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def require_chromium():
    if os.access(CHROMIUM, os.X_OK):
        return
    if ON_CI:
        pytest.fail(f"{CHROMIUM} is required when CI=true (apt-get install chromium)")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Session-scoped like the browser it configures, so a missing Chromium skips (or, on
    # CI, fails) every journey before anything tries to launch it.
    require_chromium()
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 800},
        "locale": "en-US",
        "timezone_id": "UTC",
    }


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain HTTP: keep cookies and pages usable over it even when
    the environment asks for production security (DEBUG=false). Session-scoped and
    autouse, so it is in place before the live server's middleware reads it."""
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False
    ):
        yield


@pytest.fixture(autouse=True)
def _journey_defaults(page: Page):
    page.set_default_timeout(EXPECT_TIMEOUT_MS)
    page.set_default_navigation_timeout(20_000)


@pytest.fixture
def site(live_server):
    """The live server's base URL, without a trailing slash."""
    return live_server.url.rstrip("/")


def log_in(page: Page, site: str, user, *, password=PASSWORD):
    """Log in through the login form, as a person would, and wait for the home page."""
    page.goto(f"{site}/accounts/login/")
    page.locator("#id_username").fill(user.get_username())
    page.locator("#id_password").fill(password)
    page.locator("main form").get_by_role("button").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    return page


def htmx_settled(page: Page):
    """Wait until htmx has swapped, settled and wired what it loaded: a person cannot type
    into a form in the few milliseconds before its triggers are attached, a script can."""
    page.wait_for_function(
        "() => window.htmx && !document.querySelector("
        "'.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
    return page


# Every page of every journey reports Content-Security-Policy violations to the test: the
# listener is installed in each document before the page's own scripts run, and calls a
# function exposed on the browser context, so reports survive navigations.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__reportCspViolation({
    page: document.location.href,
    directive: event.effectiveDirective || event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


def watch_csp(context, violations):
    def report(violation):
        violations.append(violation)

    context.expose_function("__reportCspViolation", report)
    context.add_init_script(CSP_LISTENER)


@pytest.fixture
def csp_violations():
    return []


@pytest.fixture(autouse=True)
def _no_csp_violations(context, csp_violations):
    """Fails the journey (at teardown) if any page broke the Content-Security-Policy."""
    watch_csp(context, csp_violations)
    yield
    assert csp_violations == [], f"Content-Security-Policy violations: {csp_violations!r}"


@pytest.fixture
def new_page(new_context, csp_violations):
    """``new_page()``: a page in a fresh browser context (its own cookies: another person)."""

    def _new_page():
        context = new_context()
        watch_csp(context, csp_violations)
        page = context.new_page()
        page.set_default_timeout(EXPECT_TIMEOUT_MS)
        return page

    return _new_page
