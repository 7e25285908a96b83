import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# /favicon.ico only redirects to the static icon, which is public too.
PUBLIC = {"/accounts/login/", "/healthz", "/favicon.ico"}
# The API's schema and its docs page describe no data; everything else under /api/ asks for
# credentials (a token or the web session) with a 401 instead of a redirect to the login page.
API_PUBLIC = {"/api/v1/schema/", "/api/v1/docs/"}


def _concrete_paths(resolver=None, prefix=""):
    """Every URL path of the project with sample values for its converters."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            yield from _concrete_paths(pattern, route)
        elif isinstance(pattern, URLPattern):
            path = route.replace("^", "").replace("$", "")
            for conv in ("<int:pk>", "<int:event_id>", "<int:factor_id>", "<int:comment_id>"):
                path = path.replace(conv, "1")
            if "<" in path or "(" in path or "\\" in path:
                continue
            yield "/" + path


def test_every_page_but_login_and_healthz_requires_login(client, db):
    paths = sorted(set(_concrete_paths()))
    assert "/" in paths
    for path in paths:
        if path in PUBLIC or path.startswith("/accounts/") or path.startswith("/static/"):
            continue
        response = client.get(path)
        if path.startswith("/api/"):
            assert response.status_code == (200 if path in API_PUBLIC else 401), path
            continue
        assert response.status_code in (302, 405), path
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), path


def test_login_page_is_public(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.django_db
def test_login_redirects_to_home(client, alice):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"Alice" in home.content


def test_bad_login_keeps_the_user_name(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b'value="alice"' in response.content


def test_logout_is_a_post(alice_client):
    response = alice_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert alice_client.get("/").status_code == 302
