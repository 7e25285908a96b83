"""Entry point of ``make bench`` (``python -m tests.bench --help``)."""

# The apps' code is imported inside the functions: ``__main__`` chooses the database and
# calls django.setup() before any of them runs (a module-level import would be too early).

import argparse
import datetime
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

from . import compare
from .data import DEFAULT_DATABASE_URL
from .report import evaluate_targets, render_text

FULL_SIZES = ((1_000, 10_000), (10_000, 100_000))
QUICK_SIZES = ((200, 2_000), (1_000, 10_000))


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="sizes 200/2k and 1k/10k instead of 1k/10k, 10k/100k"
    )
    parser.add_argument(
        "--sizes",
        help="postmortems:actions pairs, comma-separated (e.g. 500:5000,2000:20000)",
    )
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--output", default="var/bench.json", help="where the JSON goes")
    parser.add_argument(
        "--pages",
        help="only these pages (names as printed, comma-separated, e.g. dashboard,metrics); "
        "the bare view is always measured, the jobs (roll-up, sweep, export memory, "
        "blame detector) are skipped",
    )
    parser.add_argument(
        "--concurrent",
        type=int,
        metavar="N",
        default=0,
        help="also run the page set with N concurrent clients against gunicorn (production "
        "settings, WEB_CONCURRENCY workers, at least 2): throughput and p95 under load; each "
        "client sends --requests requests per page",
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="print the change of every figure against the previous saved run "
        "(the output's .previous.json; `make bench-compare` prints it without a run)",
    )
    parser.add_argument(
        "--blame",
        action="store_true",
        help="only the blame detector's figures (corpus precision/recall, speed, bad input); "
        "needs no database",
    )
    args = parser.parse_args(argv)
    if args.sizes:
        args.sizes = tuple(
            tuple(int(n) for n in pair.split(":")) for pair in args.sizes.split(",") if pair
        )
    else:
        args.sizes = QUICK_SIZES if args.quick else FULL_SIZES
    args.requests = max(args.requests, 1)
    if args.pages:
        args.pages = {"bare view", *(name.strip() for name in args.pages.split(",") if name)}
    return args


def setup_django(blame_only=False):
    if blame_only:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ.setdefault("DEBUG", "true")
        import django

        django.setup()
        return os.environ.get("DATABASE_URL", "no database")
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Nothing may land in the filesystem broker a `make run` worker reads from.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    # Hundreds of requests a minute to the API from one person are the point here.
    os.environ["API_THROTTLE_RATE"] = "1000000/min"
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"make bench runs on PostgreSQL; DATABASE_URL is {url!r}")
    from .data import ensure_database

    if ensure_database(url):
        print(f"created database {url.rsplit('/', 1)[-1]}")
    import django

    django.setup()
    from django.conf import settings

    # DEBUG=true gave the development defaults (secret key, hosts, plain static storage);
    # the figures are taken as production runs: no debug query log, no template debug.
    settings.DEBUG = False
    from config.celery import app

    app.conf.task_always_eager = True
    return url


def say(text):
    print(f"[{datetime.datetime.now():%H:%M:%S}] {text}", flush=True)


# --- One size ------------------------------------------------------------------------------


def pages_for(postmortem):
    from .pages import lint_text

    return [
        ("bare view", "/bench/bare/", "get", None),
        ("empty base.html", "/bench/empty/", "get", None),
        ("home", "/", "get", None),
        ("postmortem list", "/postmortems/", "get", None),
        ("postmortem detail", f"/postmortems/{postmortem.pk}/", "get", None),
        ("dashboard", "/actions/", "get", None),
        ("CSV export", "/actions/export.csv", "get", None),
        ("kaizen", "/kaizen/", "get", None),
        ("metrics", "/metrics/", "get", None),
        ("lint 10 kB", "/postmortems/lint/", "post", {"text": lint_text(), "field": "summary"}),
        # The API's first pages (50 rows), with the web session as credentials.
        ("API postmortems", "/api/v1/postmortems/", "get", None),
        ("API action items", "/api/v1/action-items/", "get", None),
    ]


def run_size(postmortems, actions, requests, pages=None, concurrent=0):
    from . import csv_copy, data, jobs
    from .pages import PageBench

    figures = {"postmortems": postmortems, "actions": actions}
    say(f"size {postmortems}/{actions}: resetting the database")
    data.reset()
    say(f"seed_scale --postmortems {postmortems} --actions {actions}")
    try:
        figures["seed_seconds"] = data.seed(postmortems, actions)
    except Exception as exc:  # noqa: BLE001 -- reported, the other figures still run
        figures["seed_error"] = f"{type(exc).__name__}: {exc}"
        say(f"seed_scale failed: {figures['seed_error']}")
    user, teams = data.bench_user()
    postmortem = data.big_postmortem(user, teams[0])
    data.kaizen_reviews(user, teams)
    data.analyze()
    figures["data"] = data.counts()
    figures["bench_user"] = {"teams": [t.slug for t in teams], "manager_of": teams[0].slug}
    say(f"data: {figures['data']}")

    if pages:
        if "kaizen" in pages:
            # Without the weeks' roll-up rows the page would show only the week in progress.
            say("theme roll-up of the last 12 weeks, for the Kaizen page")
            figures["rollup_history_seconds"] = _guarded(jobs.rollup_history)
        bench = PageBench(user, requests=requests)
        figures["pages"] = _measure_pages(bench, postmortem, pages)
        if "CSV export" in pages:
            say("CSV export beside COPY of the same rows")
            figures["csv_copy"] = _guarded(csv_copy.figures, user)
        if "metrics" in pages:
            figures["metrics_range"] = _guarded(bench.metrics_widest_range)
        if concurrent:
            figures["concurrent"] = _concurrent(user, postmortem, concurrent, requests, pages)
        return figures

    say("theme roll-up")
    figures["rollup"] = _guarded(jobs.rollup_figures)
    figures["rollup_history_seconds"] = _guarded(jobs.rollup_history)

    bench = PageBench(user, requests=requests)
    figures["pages"] = _measure_pages(bench, postmortem)
    say("metrics over the widest allowed range, cold cache")
    figures["metrics_range"] = _guarded(bench.metrics_widest_range)

    say("CSV export beside COPY of the same rows")
    figures["csv_copy"] = _guarded(csv_copy.figures, user)

    say("CSV export memory")
    figures["export_memory"] = _guarded(bench.export_memory, "/actions/export.csv")

    if concurrent:
        figures["concurrent"] = _concurrent(user, postmortem, concurrent, requests)

    say("reminder sweep scenario: every item open, spread over 200 teams")
    open_items, sweep_teams = data.spread_for_sweep()
    data.analyze()
    say(f"sweep over {open_items} open items in {sweep_teams} teams")
    figures["sweep"] = _guarded(jobs.sweep_figures)
    return figures


def _concurrent(user, postmortem, clients, requests, only=None):
    from . import concurrent

    pages = [p for p in pages_for(postmortem) if not only or p[0] in only]
    say(f"under load: {clients} concurrent clients against gunicorn")
    return _guarded(
        concurrent.figures,
        user,
        pages,
        clients=clients,
        requests=requests,
        database_url=os.environ["DATABASE_URL"],
        say=say,
    )


def _measure_pages(bench, postmortem, only=None):
    results = []
    for name, path, method, body in pages_for(postmortem):
        if only and name not in only:
            continue
        say(f"page {name} {method.upper()} {path}")
        result = _guarded(bench.measure, name, path, method=method, data=body)
        results.append(result if "name" in result else {"name": name, **result})
    bare = next(p for p in results if p["name"] == "bare view")
    for page in results:
        # Cold to the bare view cold, warm to the bare view warm.
        for phase in ("cold", "warm"):
            if phase in page and phase in bare:
                page[phase]["ratio_p50"] = page[phase]["p50_ms"] / bare[phase]["p50_ms"]
                page[phase]["ratio_p95"] = page[phase]["p95_ms"] / bare[phase]["p95_ms"]
        if "cold" in page:
            page["ratio_p50"] = page["cold"].get("ratio_p50")
            page["ratio_p95"] = page["cold"].get("ratio_p95")
        if "sql" in page:
            page["repeated_sql"] = repeated_sql(page.pop("sql"))
    return results


def _guarded(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 -- one broken figure must not stop the run
        say(f"  {getattr(function, '__name__', function)} failed: {type(exc).__name__}: {exc}")
        return {"error": f"{type(exc).__name__}: {exc}"}


_LITERALS = re.compile(r"\b\d+\b|'[^']*'")


def repeated_sql(statements):
    """SQL shapes sent more than twice in one request (N+1 suspects): shape -> count."""
    shapes = Counter(_LITERALS.sub("?", sql) for sql in statements)
    return {shape: n for shape, n in shapes.items() if n > 2}


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    url = setup_django(blame_only=args.blame)
    from . import blame, machine
    from . import markdown as markdown_bench

    results = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": url.rsplit("@", 1)[-1],
        "machine": machine.describe(None if args.blame else machine.postgresql_version()),
        "pace": {"start_ms": machine.pace()},
        "requests": args.requests,
        "sizes": [],
    }
    began = time.perf_counter()
    if not args.pages:
        if not args.blame:
            say("adversarial Markdown at every field's size limit")
            results["markdown"] = _guarded(markdown_bench.adversarial_figures)
        say("blame detector: corpus evaluation, speed, bad input, Kiwi load")
        results["blame"] = _guarded(blame.figures)
        if not args.blame:
            from . import data, slack_import

            # Its own process writes to the bench database: migrated first (a new database
            # has no tables until the first size resets it).
            data.reset()
            say("Slack export import: 100k messages")
            results["slack_import"] = _guarded(slack_import.figures)
    for postmortems, actions in () if args.blame else args.sizes:
        results["sizes"].append(
            run_size(postmortems, actions, args.requests, args.pages, args.concurrent)
        )
    if not args.blame:
        from .instrument import clear_app_caches, kept_caches

        # What "cold" emptied before each timed request, and what it kept: named after the
        # pages ran, when every module they import (the views' among them) is loaded.
        results["cold_clears"] = clear_app_caches()
        results["cold_keeps"] = kept_caches()
    results["pace"]["end_ms"] = machine.pace()
    results["targets"] = evaluate_targets(results)
    results["seconds"] = time.perf_counter() - began
    text = render_text(results)
    print()
    print(text)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    previous = compare.previous_path(output)
    if output.exists():
        output.replace(previous)
    output.write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False) + "\n")
    print(
        f"\nwrote {output} ({results['seconds']:.0f} s)"
        + (f"; the run before is {previous}" if previous.exists() else "")
    )
    if args.compare:
        print()
        print(compare.render_changes(compare.load(previous), results))


if __name__ == "__main__":
    main()
