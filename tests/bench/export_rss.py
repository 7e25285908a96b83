"""Peak RSS growth of streaming one CSV export, in a fresh process so that memory the bench
process already holds does not hide it: ``python -m tests.bench.export_rss USERNAME PATH``
prints ``{"rows": …, "rss_growth_mb": …, "baseline_mb": …}``."""

import json
import resource
import sys


def main(username, path):
    from .__main__ import setup_django

    setup_django()
    from django.contrib.auth import get_user_model
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    with override_settings(ROOT_URLCONF="tests.bench.urls"):
        # Warm: imports, templates and the database connection are not the export's cost.
        client.get("/bench/bare/")
        client.get("/actions/export.csv?status=done&q=warm-up")
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        response = client.get(path)
        rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # ru_maxrss is in kilobytes on Linux.
    growth_mb, baseline_mb = (peak - baseline) / 1024, baseline / 1024
    print(json.dumps({"rows": rows, "rss_growth_mb": growth_mb, "baseline_mb": baseline_mb}))


if __name__ == "__main__":
    main(*sys.argv[1:3])
