"""Page figures through Django's test client, cold and warm: SQL queries and time, template
time, p50/p95 (the ratios to the bare view are taken in ``__main__``)."""

# The apps' code is imported inside the functions: ``__main__`` chooses the database and
# calls django.setup() before any of them runs (a module-level import would be too early).

import datetime
import gc
import statistics
import time

from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from .instrument import clear_app_caches, install_template_timer, metering
from .memory import PeakRss

LINT_BYTES = 10 * 1024


def lint_text(size=LINT_BYTES):
    """About ``size`` bytes of postmortem prose, half English and half Korean (the bench's
    prose samples: mostly neutral sentences, some that blame)."""
    from .blame import prose_sample

    return prose_sample("en", size // 2) + "\n\n" + prose_sample("ko", size // 2)


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
        install_template_timer()

    def _send(self, method, path, data=None):
        if method == "post":
            return self.client.post(path, data)
        return self.client.get(path)

    def measure(self, name, path, *, method="get", data=None, requests=None):
        """``requests`` timed requests *cold* (every cache emptied before each, see
        ``instrument.clear_app_caches``), then as many *warm* (caches as the previous
        request left them). Queries, SQL and template time are per request: the most
        queries seen, the median times."""
        requests = requests or self.requests
        with override_settings(ROOT_URLCONF="tests.bench.urls"):
            response = self._send(method, path, data)
            status = response.status_code
            body = _body(response)
            if status != 200:
                return {"name": name, "path": path, "status": status, "error": f"HTTP {status}"}
            for _ in range(self.warmup - 1):
                _body(self._send(method, path, data))
            cold = self._timed(method, path, data, requests, cold=True)
            warm = self._timed(method, path, data, requests, cold=False)
        statements = cold.pop("statements")
        warm.pop("statements")
        return {
            "name": name,
            "path": path,
            "status": status,
            "bytes": len(body),
            "requests": requests,
            # The headline figures are the cold ones.
            "queries": cold["queries"],
            "sql_ms": cold["sql_ms"],
            "template_ms": cold["template_ms"],
            "p50_ms": cold["p50_ms"],
            "p95_ms": cold["p95_ms"],
            "sql": statements,
            "cold": cold,
            "warm": warm,
        }

    def _timed(self, method, path, data, requests, *, cold):
        times, meters, statements = [], [], []
        if not cold:
            _body(self._send(method, path, data))  # whatever the last cold one left, filled
        gc.collect()
        for index in range(requests):
            if cold:
                clear_app_caches()
            with metering(keep_statements=index == 0) as meter:
                began = time.perf_counter()
                _body(self._send(method, path, data))
                times.append((time.perf_counter() - began) * 1000)
            meters.append(meter)
            if index == 0:
                statements = meter.statements
        return {
            "p50_ms": statistics.median(times),
            "p95_ms": _percentile(times, 0.95),
            "queries": max(m.queries for m in meters),
            "sql_ms": statistics.median(m.sql_ms for m in meters),
            "template_ms": statistics.median(m.template_ms for m in meters),
            "statements": statements,
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
                clear_app_caches()
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
