"""GitHub Issues REST API: the three calls Hindsight makes (docs.github.com, "REST API
endpoints for issues" and "…for issue comments")."""

from django.conf import settings

from integrations import secrets
from integrations.trackers import http

API_VERSION = "2022-11-28"


def _headers(connection):
    token = secrets.decrypt(connection.token_encrypted) or settings.GITHUB_TOKEN
    return {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": API_VERSION,
        "User-Agent": "Hindsight",
    }


def _issues_url(connection):
    return f"{settings.GITHUB_API_URL}/repos/{connection.project}/issues"


def create_issue(connection, *, title, body, labels):
    """-> Response; on success ``ticket(response)`` is (number, html_url)."""
    return http.request(
        "POST",
        _issues_url(connection),
        headers=_headers(connection),
        body={"title": title, "body": body, "labels": labels},
    )


def ticket(response):
    data = response.data if isinstance(response.data, dict) else {}
    return str(data.get("number") or ""), str(data.get("html_url") or "")


def update_issue(connection, number, *, title=None, closed=None):
    body = {}
    if title is not None:
        body["title"] = title
    if closed is not None:
        body["state"] = "closed" if closed else "open"
        if closed:
            body["state_reason"] = "completed"
    return http.request(
        "PATCH", f"{_issues_url(connection)}/{number}", headers=_headers(connection), body=body
    )


def comment(connection, number, *, body):
    return http.request(
        "POST",
        f"{_issues_url(connection)}/{number}/comments",
        headers=_headers(connection),
        body={"body": body},
    )


def issue_url(connection, number):
    return f"https://github.com/{connection.project}/issues/{number}"
