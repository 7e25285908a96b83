"""Content-Security-Policy: a strict policy on every page, and templates that live by it."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PostmortemFactory

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

# Inline event handlers (onclick=…, hx-on:…, hx-on-…), inline styles and javascript: URLs
# are what the policy refuses; a <script> without src needs this response's nonce.
INLINE_HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\-][\w:\-.]*)\s*=""", re.IGNORECASE)
INLINE_STYLE = re.compile(r"""\sstyle\s*=""", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def policy(response):
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_handlers_styles_or_scripts(template):
    text = template.read_text()
    assert not INLINE_HANDLER.search(text)
    assert not INLINE_STYLE.search(text)
    assert not INLINE_SCRIPT.search(text)
    assert not JS_URL.search(text)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/postmortems/", "/actions/", "/kaizen/", "/metrics/"])
def test_every_page_has_the_strict_policy(alice_client, path):
    response = alice_client.get(path)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'"
    assert directives["script-src"][1].startswith("'nonce-")
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_login_page_has_the_policy_too(client):
    assert "default-src 'self'" in client.get("/accounts/login/")["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_pages_scripts_carry_this_responses_nonce(alice_client, team):
    pm = PostmortemFactory(team=team)
    response = alice_client.get(f"/postmortems/{pm.pk}/edit/")
    nonce = policy(response)["script-src"][1][len("'nonce-") : -1]
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert len(scripts) >= 4
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


@pytest.mark.django_db
def test_htmx_is_configured_for_the_policy(alice_client):
    html = alice_client.get("/").content.decode()
    assert """<meta name="htmx-config" content='{"allowEval": false, """ in html
    assert '"includeIndicatorStyles": false' in html
    assert ".htmx-indicator" in (ROOT / "static/css/app.css").read_text()
