"""Page figures through Django's test client: SQL queries, p50/p95, ratio to the bare view."""

# The apps' code is imported inside the functions: ``__main__`` chooses the database and
# calls django.setup() before any of them runs (a module-level import would be too early).

import datetime
import gc
import statistics
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .memory import PeakRss

LINT_BYTES = 10 * 1024


def lint_text(size=LINT_BYTES):
    """About ``size`` bytes of postmortem prose in English and Korean, a few phrases that
    blame among many that do not."""
    sample = (
        "At 10:02 the deploy started and the canary error rate rose to 4%. The alert fired "
        "six minutes later and the on-call paged the database team. Bob should have checked "
        "the dashboard before the rollout. We rolled back at 10:31 and the errors stopped.\n"
        "배포 후 캐시 적중률이 40%로 떨어졌다. 알림은 6분 뒤에 울렸고 롤백으로 복구되었다.\n"
    )
    text = sample * (size // len(sample.encode()) + 1)
    while len(text.encode()) > size:
        text = text[:-1]
    return text


def _percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class PageBench:
    """Requests through the full middleware stack as one signed-in person."""

    def __init__(self, user, *, requests=50, warmup=3):
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.client.force_login(user)
        self.username = user.get_username()
        self.requests = requests
        self.warmup = warmup

    def _send(self, method, path, data=None):
        if method == "post":
            return self.client.post(path, data)
        return self.client.get(path)

    def measure(self, name, path, *, method="get", data=None, requests=None):
        requests = requests or self.requests
        with override_settings(ROOT_URLCONF="tests.bench.urls"):
            response = self._send(method, path, data)
            status = response.status_code
            body = _body(response)
            if status != 200:
                return {"name": name, "path": path, "status": status, "error": f"HTTP {status}"}
            for _ in range(self.warmup - 1):
                _body(self._send(method, path, data))
            # The debug query log is a bounded deque: full after seeding, it would hide them.
            reset_queries()
            with CaptureQueriesContext(connection) as capture:
                _body(self._send(method, path, data))
            # Read now: captured_queries slices the live log, which the next request resets.
            queries = [q["sql"] for q in capture.captured_queries]
            sql_ms = sum(float(q["time"]) for q in capture.captured_queries) * 1000
            times = []
            gc.collect()
            for _ in range(requests):
                began = time.perf_counter()
                _body(self._send(method, path, data))
                times.append((time.perf_counter() - began) * 1000)
        return {
            "name": name,
            "path": path,
            "status": status,
            "bytes": len(body),
            "queries": len(queries),
            "sql_ms": sql_ms,
            "sql": queries,
            "requests": requests,
            "p50_ms": statistics.median(times),
            "p95_ms": _percentile(times, 0.95),
        }

    def metrics_widest_range(self, runs=3):
        """The slowest of ``runs`` requests of /metrics/ (and its CSV) over the widest range
        ``MAX_REPORT_RANGE_DAYS`` allows, each with an empty cache."""
        last = timezone.localdate()
        first = last - datetime.timedelta(days=settings.MAX_REPORT_RANGE_DAYS - 1)
        query = {"from": first.isoformat(), "to": last.isoformat()}
        slowest = {}
        for path in ("/metrics/", "/metrics/export.csv"):
            times = []
            for _ in range(runs):
                cache.clear()
                began = time.perf_counter()
                response = self.client.get(path, query)
                body = _body(response)
                times.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    return {"error": f"HTTP {response.status_code} for {path}"}
            slowest[path] = (max(times), len(body))
        return {
            "days": settings.MAX_REPORT_RANGE_DAYS,
            "slowest_ms": slowest["/metrics/"][0],
            "bytes": slowest["/metrics/"][1],
            "csv_slowest_ms": slowest["/metrics/export.csv"][0],
        }

    def export_memory(self, path):
        """Peak growth while streaming ``path`` once: RSS in a fresh process, RSS sampled in
        this one, and the Python heap peak (tracemalloc)."""
        import json
        import subprocess
        import sys
        import tracemalloc

        fresh = subprocess.run(
            [sys.executable, "-m", "tests.bench.export_rss", self.username, path],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            fresh_figures = json.loads(fresh.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            fresh_figures = {"error": (fresh.stderr or fresh.stdout)[-300:]}

        with override_settings(ROOT_URLCONF="tests.bench.urls"):
            gc.collect()
            with PeakRss() as rss:
                response = self.client.get(path)
                rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
            gc.collect()
            tracemalloc.start()
            response = self.client.get(path)
            for _chunk in response.streaming_content:
                pass
            _current, heap_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        return {
            "rows": rows,
            "fresh_process": fresh_figures,
            "rss_growth_mb": rss.growth / 2**20,
            "python_heap_peak_mb": heap_peak / 2**20,
        }
