"""Peak RSS growth of streaming one CSV export, in a fresh process so that memory the bench
process already holds does not hide it: ``python -m tests.bench.export_rss USERNAME PATH``
prints ``{"rows": …, "rss_growth_mb": …, "baseline_mb": …}``."""

# The apps' code is imported inside the functions: ``__main__`` chooses the database and
# calls django.setup() before any of them runs (a module-level import would be too early).

import json
import sys


def main(username, path):
    from .__main__ import setup_django
    from .memory import peak_rss_bytes, reset_peak_rss, rss_bytes

    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    with override_settings(ROOT_URLCONF="tests.bench.urls"):
        # Warm: imports, templates and the database connection are not the export's cost.
        client.get("/bench/bare/")
        client.get("/actions/export.csv?status=done&q=warm-up")
        reset_peak_rss()
        baseline = rss_bytes()
        response = client.get(path)
        rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
        peak = peak_rss_bytes()
    growth_mb, baseline_mb = (peak - baseline) / 2**20, baseline / 2**20
    print(json.dumps({"rows": rows, "rss_growth_mb": growth_mb, "baseline_mb": baseline_mb}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
