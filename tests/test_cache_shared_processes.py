"""Two web processes share the dashboard's cache: a postmortem made restricted through one
disappears at once from the dashboard another one serves (issue 15, item 7).

Real processes (two gunicorn instances on loopback ports) against one SQLite file and the
cache the settings give by default (a file cache; Redis when CACHE_URL says so, as on CI).
Everything is bounded by timeouts and the servers are stopped whatever happens."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARKER = "Rotate-the-zebra-cert-7731"

SETUP = f"""
import json
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from postmortems.forms import PostmortemForm
from postmortems.models import Membership
from tests.factories import (
    ActionItemFactory, MembershipFactory, PostmortemFactory, TeamFactory, UserFactory,
)

timezone.activate("UTC")
team, other = TeamFactory(name="Payments"), TeamFactory(name="Search")
manager = UserFactory(username="mona")
MembershipFactory(team=team, user=manager, role=Membership.Role.MANAGER)
outsider = UserFactory(username="olga")
MembershipFactory(team=other, user=outsider)
postmortem = PostmortemFactory(team=team, title="{MARKER} outage")
ActionItemFactory(postmortem=postmortem, title="{MARKER} follow-up")

def session(user):
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key

form = PostmortemForm(instance=postmortem, user=manager)
edit = {{}}
for name in form.fields:
    value = form[name].value()
    if value is None or value is False:
        continue
    if hasattr(value, "strftime"):
        value = value.strftime("%Y-%m-%dT%H:%M")
    edit[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
edit.update(restricted="on", version=str(postmortem.version))
print(json.dumps({{
    "pk": postmortem.pk, "edit": edit,
    "manager": session(manager), "outsider": session(outsider),
}}))
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _request(url, *, session, data=None, csrf=None):
    cookies = f"sessionid={session}" + (f"; csrftoken={csrf}" if csrf else "")
    headers = {"Cookie": cookies}
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        headers["X-CSRFToken"] = csrf
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _wait_until_up(url, process, deadline):
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} exited early: {process.stdout.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not answer in time")


@pytest.fixture
def two_servers(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "true",
        "HINDSIGHT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
    }
    if not os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://")):
        env["CACHE_URL"] = f"file://{tmp_path / 'cache'}"
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=180
    )
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    )
    world = json.loads(setup.stdout.strip().splitlines()[-1])
    servers, urls = [], []
    try:
        for _ in range(2):
            port = _free_port()
            servers.append(
                subprocess.Popen(  # each has its own memory: only the shared cache connects them
                    [
                        str(BIN / "gunicorn"),
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--timeout",
                        "30",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        for url, process in zip(urls, servers, strict=True):
            _wait_until_up(url, process, deadline)
        yield world, urls
    finally:
        for process in servers:
            process.terminate()
        for process in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def test_a_postmortem_restricted_through_one_process_leaves_the_others_dashboard_at_once(
    two_servers,
):
    world, (server_a, server_b) = two_servers
    outsider, manager = world["outsider"], world["manager"]

    for _ in range(2):  # the second answer comes from B's cache
        status, page = _request(f"{server_b}/actions/", session=outsider)
        assert status == 200
        assert MARKER in page

    csrf = secrets.token_hex(16)
    status, _page = _request(
        f"{server_a}/postmortems/{world['pk']}/edit/",
        session=manager,
        data=world["edit"],
        csrf=csrf,
    )
    assert status == 302, _page[-3000:]

    status, page = _request(f"{server_b}/actions/", session=outsider)
    assert status == 200
    assert MARKER not in page
