"""The multi-process shape (README, "Scaling past one machine"): two web processes on one
PostgreSQL and one shared cache. A write through one is seen by the other at once, for
visibility (a postmortem made restricted) and for figures (an item completed).

Two gunicorn processes on loopback ports serve pytest-django's test database (committed
data: ``transaction=True``), with the CACHE_URL of the run (Redis on CI) or, without one,
a file cache both share. PostgreSQL only: locally the test skips on SQLite; on CI
(``CI=true``) a run without PostgreSQL fails. The SQLite shape is
``tests/test_cache_shared_processes.py``.
"""

import os
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from actions.models import ActionItem
from postmortems.forms import PostmortemForm
from postmortems.models import Membership
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    PostmortemFactory,
    TeamFactory,
    UserFactory,
)
from tests.fixtures import ON_CI, require_service
from tests.web_processes import Gunicorn, session_key_for

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = "Quarantine-the-walrus-queue-4412"
TITLE = f"{MARKER} outage"


def _database_url():
    """The URL of the test database this process uses, for the servers."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _request(url, *, session, data=None):
    csrf = secrets.token_hex(16)
    headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}"}
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        headers["X-CSRFToken"] = csrf
    try:
        with _opener.open(urllib.request.Request(url, body, headers), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _tile(page, name):
    found = re.search(rf'data-tile="{name}">\s*([^<\s]+)\s*<', page)
    assert found, f"no {name} tile on the dashboard"
    return found.group(1)


@pytest.fixture
def two_web_processes(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        if ON_CI:
            pytest.fail("CI=true runs on PostgreSQL (DATABASE_URL=postgres://…)")
        pytest.skip("two web processes on one database: PostgreSQL only (DATABASE_URL)")
    cache_url = os.environ.get("CACHE_URL", "")
    if cache_url.startswith(("redis://", "rediss://")):
        parts = urllib.parse.urlsplit(cache_url)
        require_service("Redis", parts.hostname or "127.0.0.1", parts.port or 6379)
    else:  # locmem:// (the tests' default) is per process: give the servers one to share
        cache_url = f"file://{tmp_path / 'cache'}"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DEBUG": "true",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are read there
        "HINDSIGHT_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": _database_url(),
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    log = open(tmp_path / "servers.log", "w+")  # noqa: SIM115 -- read back on failure
    # Each has its own memory: only the database and the shared cache connect them.
    servers = [Gunicorn(env, workers=1, log=log), Gunicorn(env, workers=1, log=log)]
    try:
        try:
            for server in servers:
                server.launch()
            for server in servers:
                server.wait_ready()
        except RuntimeError as error:
            log.seek(0)
            pytest.fail(f"{error}: {log.read()[-3000:]}")
        yield [server.url for server in servers]
    finally:
        # Before the test database is flushed: no server may hold a connection to it.
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait()
        log.close()


@pytest.fixture
def world(transactional_db):
    team, other = TeamFactory(name="Payments"), TeamFactory(name="Search")
    manager = UserFactory(username="mona")
    MembershipFactory(team=team, user=manager, role=Membership.Role.MANAGER)
    outsider = UserFactory(username="olga")
    MembershipFactory(team=other, user=outsider)
    postmortem = PostmortemFactory(team=team, title=TITLE)
    item = ActionItemFactory(
        postmortem=postmortem, team=team, title=f"{MARKER} follow-up", status="open"
    )
    ActionItemFactory(postmortem=postmortem, team=team, status="open")
    return {
        "postmortem": postmortem,
        "item": item,
        "manager": manager,
        "sessions": {"manager": session_key_for(manager), "outsider": session_key_for(outsider)},
    }


def _edit_form_data(postmortem, user, **changes):
    form = PostmortemForm(instance=postmortem, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if hasattr(value, "strftime"):
            value = value.strftime("%Y-%m-%dT%H:%M")
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    data.update(version=str(postmortem.version), **changes)
    return data


def test_a_postmortem_restricted_through_one_process_is_hidden_by_the_other_at_once(
    world, two_web_processes
):
    server_a, server_b = two_web_processes
    pk, outsider = world["postmortem"].pk, world["sessions"]["outsider"]
    for _ in range(2):  # the second answers come from whatever B keeps
        status, page = _request(f"{server_b}/actions/", session=outsider)
        assert (status, MARKER in page) == (200, True)
        status, page = _request(f"{server_b}/postmortems/{pk}/", session=outsider)
        assert (status, MARKER in page) == (200, True)
        status, page = _request(f"{server_b}/postmortems/?q={MARKER}", session=outsider)
        assert (status, TITLE in page) == (200, True)

    status, page = _request(
        f"{server_a}/postmortems/{pk}/edit/",
        session=world["sessions"]["manager"],
        data=_edit_form_data(world["postmortem"], world["manager"], restricted="on"),
    )
    assert status == 302, page[-3000:]

    status, page = _request(f"{server_b}/actions/", session=outsider)
    assert status == 200
    assert MARKER not in page
    status, _page = _request(f"{server_b}/postmortems/{pk}/", session=outsider)
    assert status == 404
    status, page = _request(f"{server_b}/postmortems/?q={MARKER}", session=outsider)
    assert status == 200
    assert TITLE not in page  # the search box still echoes the marker itself


def test_an_item_completed_through_one_process_changes_the_others_figures_at_once(
    world, two_web_processes
):
    server_a, server_b = two_web_processes
    manager, item = world["sessions"]["manager"], world["item"]
    for _ in range(2):
        status, page = _request(f"{server_b}/actions/", session=manager)
        assert status == 200
        assert (_tile(page, "open"), _tile(page, "completed_30")) == ("2", "0")

    status, page = _request(
        f"{server_a}/actions/{item.pk}/status/", session=manager, data={"action": "complete"}
    )
    assert status == 302, page[-3000:]
    item.refresh_from_db()
    assert item.status == ActionItem.Status.DONE

    status, page = _request(f"{server_b}/actions/", session=manager)
    assert status == 200
    assert (_tile(page, "open"), _tile(page, "completed_30")) == ("1", "1")
