"""Loopback GitHub and Jira: real HTTP servers on 127.0.0.1 implementing the endpoints
Hindsight calls (create, update, transition, comment), and acting as a person in the
tracker who closes, reopens or reassigns a ticket — which sends the signed webhook back."""

import base64
import datetime
import hashlib
import hmac
import json
import re
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def post_json(url, body, headers):
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


class _Server:
    """Routes: list of (method, regex, handler(match, body) -> (status, json or None))."""

    def __init__(self, token_header):
        self.requests = []
        self.forced = []  # (status, body) answers to give before the real ones
        self.token_header = token_header
        self.issues = {}
        self.webhook_url = None
        self.webhook_secret = None
        # How webhooks reach Hindsight: a real POST by default; tests may hand it the
        # Django test client instead (same bytes, same headers).
        self.send = post_json
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                with server._lock:
                    server.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "json": body,
                            "auth": self.headers.get("Authorization", ""),
                        }
                    )
                    forced = server.forced.pop(0) if server.forced else None
                if forced:
                    status, answer = forced
                elif self.headers.get("Authorization", "") != server.token_header:
                    status, answer = 401, {"message": "Bad credentials"}
                else:
                    status, answer = server.route(self.command, self.path, body)
                data = json.dumps(answer).encode() if answer is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = _handle

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, status, body=None, times=1):
        for _ in range(times):
            self.forced.append((status, body or {"message": "forced"}))

    def calls(self, method):
        return [r for r in self.requests if r["method"] == method]

    def _sign(self, raw):
        return hmac.new(self.webhook_secret.encode(), raw, hashlib.sha256).hexdigest()


class GitHubServer(_Server):
    def __init__(self, token, repo="acme/payments"):
        super().__init__(f"Bearer {token}")
        self.repo = repo

    def route(self, method, path, body):
        base = f"/repos/{self.repo}/issues"
        if method == "POST" and path == base:
            number = len(self.issues) + 1
            issue = {
                "number": number,
                "html_url": f"https://github.com/{self.repo}/issues/{number}",
                "state": "open",
                "title": body["title"],
                "body": body.get("body", ""),
                "labels": [{"name": name} for name in body.get("labels", [])],
                "assignee": None,
                "comments": [],
                "closed_at": None,
            }
            self.issues[number] = issue
            return 201, issue
        match = re.fullmatch(rf"{base}/(\d+)(/comments)?", path)
        if not match or int(match.group(1)) not in self.issues:
            return 404, {"message": "Not Found"}
        issue = self.issues[int(match.group(1))]
        if match.group(2) and method == "POST":
            issue["comments"].append(body["body"])
            return 201, {"id": len(issue["comments"]), "body": body["body"]}
        if method == "PATCH":
            issue.update({k: v for k, v in body.items() if k in ("title", "state")})
            return 200, issue
        return 405, {"message": "Method not allowed"}

    # --- A person working in GitHub ---

    def _webhook(self, action, issue, actor):
        payload = {
            "action": action,
            "issue": issue,
            "repository": {"full_name": self.repo},
            "sender": {"login": actor},
        }
        if action in ("assigned", "unassigned"):
            payload["assignee"] = issue["assignee"]
        raw = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": f"delivery-{len(self.requests)}",
            "X-Hub-Signature-256": "sha256=" + self._sign(raw),
        }
        return self.send(self.webhook_url, raw, headers)

    def close(self, number, actor="octocat", at="2026-12-01T10:00:00Z"):
        issue = self.issues[number]
        issue.update(state="closed", closed_at=at)
        return self._webhook("closed", issue, actor)

    def reopen(self, number, actor="octocat"):
        issue = self.issues[number]
        issue.update(state="open", closed_at=None)
        return self._webhook("reopened", issue, actor)

    def assign(self, number, login, actor="octocat"):
        issue = self.issues[number]
        issue["assignee"] = {"login": login} if login else None
        return self._webhook("assigned" if login else "unassigned", issue, actor)


class JiraServer(_Server):
    TRANSITIONS = [
        {"id": "11", "name": "To Do", "to": {"name": "To Do", "statusCategory": {"key": "new"}}},
        {"id": "31", "name": "Done", "to": {"name": "Done", "statusCategory": {"key": "done"}}},
    ]

    def __init__(self, email, token, project="OPS"):
        pair = base64.b64encode(f"{email}:{token}".encode()).decode()
        super().__init__(f"Basic {pair}")
        self.project = project

    def route(self, method, path, body):
        if method == "POST" and path == "/rest/api/3/issue":
            key = f"{self.project}-{len(self.issues) + 1}"
            self.issues[key] = {
                "key": key,
                "fields": body["fields"],
                "status": "To Do",
                "comments": [],
            }
            return 201, {"id": str(10000 + len(self.issues)), "key": key, "self": "…"}
        match = re.fullmatch(r"/rest/api/3/issue/([A-Z]+-\d+)(/transitions|/comment)?", path)
        if not match or match.group(1) not in self.issues:
            return 404, {"errorMessages": ["Issue does not exist"]}
        issue, tail = self.issues[match.group(1)], match.group(2)
        if tail == "/transitions" and method == "GET":
            return 200, {"transitions": self.TRANSITIONS}
        if tail == "/transitions" and method == "POST":
            wanted = next(t for t in self.TRANSITIONS if t["id"] == body["transition"]["id"])
            issue["status"] = wanted["to"]["name"]
            return 204, None
        if tail == "/comment" and method == "POST":
            issue["comments"].append(body["body"])
            return 201, {"id": "1"}
        if tail is None and method == "PUT":
            issue["fields"].update(body["fields"])
            return 204, None
        return 405, {"errorMessages": ["Method not allowed"]}

    def move(self, key, status, actor="Jamie Jira"):
        issue = self.issues[key]
        before, issue["status"] = issue["status"], status
        category = "done" if status == "Done" else "new"
        payload = {
            "timestamp": int(datetime.datetime(2026, 12, 1, 11, 0, tzinfo=datetime.UTC).timestamp())
            * 1000,
            "webhookEvent": "jira:issue_updated",
            "issue_event_type_name": "issue_generic",
            "user": {"displayName": actor},
            "issue": {
                "key": key,
                "fields": {"status": {"name": status, "statusCategory": {"key": category}}},
            },
            "changelog": {"items": [{"field": "status", "fromString": before, "toString": status}]},
        }
        raw = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Hub-Signature": "sha256=" + self._sign(raw),
        }
        return self.send(self.webhook_url, raw, headers)
