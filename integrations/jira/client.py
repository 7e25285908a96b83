"""Jira Cloud REST v3: create, edit, transition and comment on an issue
(developer.atlassian.com, "The Jira Cloud platform REST API", issues and comments). Basic
auth with the account's e-mail and API token."""

import base64

from django.conf import settings

from integrations import secrets
from integrations.trackers import http

ISSUE_TYPE = "Task"
# statusCategory keys (Jira's fixed categories): "new", "indeterminate", "done".
DONE = "done"


def _headers(connection):
    token = secrets.decrypt(connection.token_encrypted) or settings.JIRA_API_TOKEN
    pair = f"{connection.account_email}:{token}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def _api(connection, path):
    return f"{connection.site_url.rstrip('/')}/rest/api/3/{path}"


def document(text):
    """Plain text -> an Atlassian Document Format document, one paragraph a line."""
    paragraphs = [
        {"type": "paragraph", "content": [{"type": "text", "text": line}]}
        for line in text.splitlines()
        if line.strip()
    ]
    return {"type": "doc", "version": 1, "content": paragraphs}


def create_issue(connection, *, title, body, labels):
    fields = {
        "project": {"key": connection.project},
        "summary": title,
        "description": document(body),
        "issuetype": {"name": ISSUE_TYPE},
        "labels": labels,
    }
    return http.request(
        "POST", _api(connection, "issue"), headers=_headers(connection), body={"fields": fields}
    )


def ticket(response):
    data = response.data if isinstance(response.data, dict) else {}
    return str(data.get("key") or ""), ""


def issue_url(connection, key):
    return f"{connection.site_url.rstrip('/')}/browse/{key}"


def update_issue(connection, key, *, title=None, closed=None):
    if title is not None:
        answer = http.request(
            "PUT",
            _api(connection, f"issue/{key}"),
            headers=_headers(connection),
            body={"fields": {"summary": title}},
        )
        if not answer.ok or closed is None:
            return answer
    # Jira moves an issue between statuses only through its workflow's transitions.
    found = http.request(
        "GET", _api(connection, f"issue/{key}/transitions"), headers=_headers(connection)
    )
    if not found.ok:
        return found
    transitions = (found.data or {}).get("transitions") or []
    wanted = next((t for t in transitions if (_category(t) == DONE) == closed), None)
    if wanted is None:
        return http.Response(http.FAILED, None, None, "no workflow transition to that status")
    return http.request(
        "POST",
        _api(connection, f"issue/{key}/transitions"),
        headers=_headers(connection),
        body={"transition": {"id": wanted["id"]}},
    )


def _category(transition):
    return ((transition.get("to") or {}).get("statusCategory") or {}).get("key")


def comment(connection, key, *, body):
    return http.request(
        "POST",
        _api(connection, f"issue/{key}/comment"),
        headers=_headers(connection),
        body={"body": document(body)},
    )
