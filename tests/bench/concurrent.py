"""``--concurrent N``: the page set under N concurrent clients against real gunicorn workers.

gunicorn runs as production does (``DEBUG=false``, collected static files, behind a TLS
proxy: ``SECURE_PROXY_SSL_HEADER`` with ``X-Forwarded-Proto: https``), with
``WEB_CONCURRENCY`` workers (at least 2), on a free loopback port and the bench database.
Each client is a thread sending its requests one after the other over plain ``http.client``
as the bench person (a session made in the database). Per page: requests, errors,
throughput (req/s) and p50/p95 under load; gunicorn is stopped (SIGTERM) afterwards.
Caches are as a running site has them (nothing is cleared between requests).
"""

import http.client
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time

from django.conf import settings

from tests.web_processes import ROOT, Gunicorn, session_key_for

from .pages import _percentile

VAR_DIR = ROOT / "var" / "bench-web"


def server_env(database_url):
    """The environment of the bench's gunicorn: production settings on the bench data."""
    env = {
        **os.environ,
        "DEBUG": "false",
        # The bench process signs the session with its key; the server must read it.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "true",
        "DATABASE_URL": database_url,
        "HINDSIGHT_VAR_DIR": str(VAR_DIR),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    if not env.get("CACHE_URL"):
        env["CACHE_URL"] = f"file://{VAR_DIR / 'cache'}"
    env.setdefault("CELERY_BROKER_URL", "memory://")
    return env


def workers():
    return max(2, int(os.environ.get("WEB_CONCURRENCY") or 2))


class _Client:
    def __init__(self, port, session):
        self.port = port
        self.csrf = secrets.token_hex(16)
        self.headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
            f"{settings.CSRF_COOKIE_NAME}={self.csrf}",
        }

    def send(self, method, path, body=None):
        """One request; returns (status, seconds). The body is read to the end."""
        from urllib.parse import urlencode

        headers = dict(self.headers)
        data = None
        if method == "post":
            data = urlencode(body or {}).encode()
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.csrf,
                    "Origin": "https://127.0.0.1",
                }
            )
        began = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method.upper(), path, body=data, headers=headers)
            response = connection.getresponse()
            while response.read(65536):
                pass
            return response.status, time.perf_counter() - began
        finally:
            connection.close()


def _load(port, session, page, clients, per_client):
    name, path, method, body = page
    times, errors = [], []
    lock = threading.Lock()

    def client():
        sender = _Client(port, session)
        for _ in range(per_client):
            try:
                status, seconds = sender.send(method, path, body)
            except OSError as exc:
                status, seconds = type(exc).__name__, None
            with lock:
                if status == 200:
                    times.append(seconds * 1000)
                else:
                    errors.append(status)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    figures = {"name": name, "requests": clients * per_client, "errors": len(errors)}
    if errors:
        figures["error_statuses"] = sorted({str(e) for e in errors})
    if times:
        figures.update(
            req_per_s=len(times) / wall,
            p50_ms=statistics.median(times),
            p95_ms=_percentile(times, 0.95),
        )
    return figures


def _collectstatic(env):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


def figures(user, pages, *, clients, requests, database_url, say=print):
    """The page set (``__main__.pages_for``) under ``clients`` concurrent clients, each
    sending ``requests`` requests per page (one per client for the CSV export, which
    streams every row)."""
    env = server_env(database_url)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    say("collectstatic for the production static storage")
    _collectstatic(env)
    session = session_key_for(user)
    count = workers()
    log_path = VAR_DIR / "gunicorn.log"
    results = {
        "clients": clients,
        "workers": count,
        # 0 (the default): a new database connection per request, a large part of a short
        # page's time under load; DATABASE_CONN_MAX_AGE=60 make bench … shows the difference.
        "conn_max_age": int(env.get("DATABASE_CONN_MAX_AGE") or 0),
        "pages": [],
    }
    with open(log_path, "w") as log:
        say(f"starting gunicorn ({count} workers, bench URLs) for {clients} concurrent clients")
        server = Gunicorn(env, workers=count, app="tests.bench.wsgi", log=log)
        try:
            server.start()
        except RuntimeError as exc:
            server.stop()
            raise RuntimeError(f"{exc} (its log: {log_path})") from exc
        with server:
            began = time.perf_counter()
            for page in pages:
                _name, path, method, body = page
                export = path.endswith(".csv")
                sender = _Client(server.port, session)
                # Every worker has imported and connected once (an export once is enough).
                for _ in range(1 if export else 2 * count):
                    sender.send(method, path, body)
                per_client = 1 if export else requests
                say(f"  {clients} clients × {per_client} {method.upper()} {path}")
                results["pages"].append(_load(server.port, session, page, clients, per_client))
            results["seconds"] = time.perf_counter() - began
        say("gunicorn stopped")
    bare = next((p for p in results["pages"] if p["name"] == "bare view"), {})
    for page in results["pages"]:
        if "p95_ms" in page and "p95_ms" in bare:
            page["ratio_p95"] = page["p95_ms"] / bare["p95_ms"]
    return results


def render(figures):
    """The table printed under each size."""
    if "pages" not in figures:
        return [f"under load: {figures.get('error')}"]
    lines = [
        f"under load: {figures['clients']} concurrent clients, gunicorn with "
        f"{figures['workers']} workers (production settings, "
        f"DATABASE_CONN_MAX_AGE={figures.get('conn_max_age', 0)})",
        f"{'page':<19}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'×bare p95':>11}",
    ]
    for page in figures["pages"]:
        if "p95_ms" not in page:
            lines.append(f"{page['name']:<19}{page['requests']:>9}{page['errors']:>7}  failed")
            continue
        ratio = page.get("ratio_p95")
        lines.append(
            f"{page['name']:<19}{page['requests']:>9}{page['errors']:>7}"
            f"{page['req_per_s']:>8.1f}{page['p50_ms']:>9.1f}{page['p95_ms']:>9.1f}"
            f"{ratio if ratio is not None else float('nan'):>10.1f}×"
        )
    return lines
