"""Entry point of ``make bench`` (``python -m tests.bench --help``)."""

import argparse
import datetime
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

from .data import DEFAULT_DATABASE_URL

FULL_SIZES = ((1_000, 10_000), (10_000, 100_000))
QUICK_SIZES = ((200, 2_000), (1_000, 10_000))

# Targets (bench.json carries them next to each figure).
MAX_QUERIES = {"detail": 12, "dashboard": 10, "kaizen": 10, "metrics": 10}
DASHBOARD_MAX_RATIO = 4.0
SWEEP_MAX_SECONDS = 5.0
ROLLUP_MAX_SECONDS = 3.0
LINT_MAX_MS = 5.0
MARKDOWN_MAX_MS = 250.0
SEED_MAX_SECONDS = 60.0
SEED_TARGET_ACTIONS = 100_000
SLACK_IMPORT_MAX_RSS_MB = 100.0
# The slowest /metrics/ request over the widest range allowed (MAX_REPORT_RANGE_DAYS), cold.
METRICS_RANGE_MAX_MS = 2000.0


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


def setup_django():
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # Nothing may land in the filesystem broker a `make run` worker reads from.
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
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
    ]


PAGE_KEYS = {
    "postmortem detail": "detail",
    "dashboard": "dashboard",
    "kaizen": "kaizen",
    "metrics": "metrics",
}


def run_size(postmortems, actions, requests, pages=None):
    from . import data, jobs
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
    data.analyze()
    figures["data"] = data.counts()
    figures["bench_user"] = {"teams": [t.slug for t in teams], "manager_of": teams[0].slug}
    say(f"data: {figures['data']}")

    if pages:
        bench = PageBench(user, requests=requests)
        figures["pages"] = _measure_pages(bench, postmortem, pages)
        if "metrics" in pages:
            figures["metrics_range"] = _guarded(bench.metrics_widest_range)
        return figures

    say("theme roll-up")
    figures["rollup"] = _guarded(jobs.rollup_figures)
    figures["rollup_history_seconds"] = _guarded(jobs.rollup_history)

    bench = PageBench(user, requests=requests)
    figures["pages"] = _measure_pages(bench, postmortem)
    say("metrics over the widest allowed range, cold cache")
    figures["metrics_range"] = _guarded(bench.metrics_widest_range)

    say("CSV export memory")
    figures["export_memory"] = _guarded(bench.export_memory, "/actions/export.csv")

    say("reminder sweep scenario: every item open, spread over 200 teams")
    open_items, sweep_teams = data.spread_for_sweep()
    data.analyze()
    say(f"sweep over {open_items} open items in {sweep_teams} teams")
    figures["sweep"] = _guarded(jobs.sweep_figures)
    return figures


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
        if "p50_ms" in page and "p50_ms" in bare:
            page["ratio_p50"] = page["p50_ms"] / bare["p50_ms"]
            page["ratio_p95"] = page["p95_ms"] / bare["p95_ms"]
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


# --- Targets and output ----------------------------------------------------------------------


def evaluate_targets(results):
    checks = []

    def check(label, ok, measured):
        # ok None: the figure was not taken in this run (e.g. --quick has no 100k size).
        passed = None if ok is None else bool(ok)
        checks.append({"target": label, "pass": passed, "measured": measured})

    sizes = results["sizes"]
    for size in sizes:
        tag = f"{size['postmortems']}/{size['actions']}"
        pages = {p["name"]: p for p in size["pages"]}
        for name, key in PAGE_KEYS.items():
            page = pages.get(name)
            limit = MAX_QUERIES[key]
            if page is None:  # left out with --pages
                check(f"{name} ≤{limit} queries ({tag})", None, "not measured")
                continue
            check(
                f"{name} ≤{limit} queries ({tag})",
                page.get("queries", 10**9) <= limit,
                page.get("queries", page.get("error") or page.get("status")),
            )
        dash, bare = pages.get("dashboard", {}), pages.get("bare view", {})
        ratio = dash.get("ratio_p95")
        check(
            f"dashboard p95 ≤{DASHBOARD_MAX_RATIO:g}× bare view ({tag})",
            (ratio is not None and ratio <= DASHBOARD_MAX_RATIO) if dash else None,
            f"{ratio:.1f}× ({dash['p95_ms']:.1f} vs {bare['p95_ms']:.1f} ms)"
            if ratio is not None
            else dash.get("error", "not measured"),
        )
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        last_pages = {p["name"]: p for p in last["pages"]}
        for page in first["pages"]:
            other = last_pages.get(page["name"], {})
            if "queries" not in page or "queries" not in other:
                continue
            check(
                f"{page['name']}: same queries at both sizes",
                page["queries"] == other["queries"],
                f"{page['queries']} / {other['queries']}",
            )
    large = sizes[-1]
    widest = large.get("metrics_range", {})
    check(
        f"slowest /metrics/ over the allowed range, cold ≤{METRICS_RANGE_MAX_MS:g} ms",
        (widest.get("slowest_ms", 10**9) <= METRICS_RANGE_MAX_MS) if widest else None,
        f"{widest['slowest_ms']:.0f} ms ({widest['days']} days, {widest['bytes']} bytes, "
        f"CSV {widest['csv_slowest_ms']:.0f} ms)"
        if "slowest_ms" in widest
        else widest.get("error", "not measured"),
    )
    sweep = large.get("sweep", {})
    check(
        f"reminder sweep ≤{SWEEP_MAX_SECONDS:g} s",
        (sweep.get("seconds", 10**9) <= SWEEP_MAX_SECONDS) if sweep else None,
        f"{sweep['seconds']:.2f} s" if "seconds" in sweep else sweep.get("error"),
    )
    if "seconds" in sweep:
        check(
            "sweep: messages sent = teams with due items",
            sweep["messages_sent"]
            == sweep["teams_with_due_items"]
            == sweep["slack_requests_received"],
            f"{sweep['messages_sent']} sent, {sweep['teams_with_due_items']} teams, "
            f"{sweep['slack_requests_received']} received",
        )
    rollup = large.get("rollup", {})
    check(
        f"theme roll-up ≤{ROLLUP_MAX_SECONDS:g} s",
        (rollup.get("seconds", 10**9) <= ROLLUP_MAX_SECONDS) if rollup else None,
        f"{rollup['seconds']:.2f} s" if "seconds" in rollup else rollup.get("error"),
    )
    lint = results.get("lint", {})
    check(
        f"blame detector ≤{LINT_MAX_MS:g} ms per 10 kB",
        (lint.get("median_ms", 10**9) <= LINT_MAX_MS) if lint else None,
        f"{lint['median_ms']:.2f} ms" if "median_ms" in lint else lint.get("error"),
    )
    slack = results.get("slack_import", {})
    check(
        f"Slack import of 100k messages: peak RSS growth ≤{SLACK_IMPORT_MAX_RSS_MB:g} MB",
        (slack.get("rss_growth_mb", 10**9) <= SLACK_IMPORT_MAX_RSS_MB) if slack else None,
        f"{slack['rss_growth_mb']:.1f} MB" if "rss_growth_mb" in slack else slack.get("error"),
    )
    md = results.get("markdown", {})
    check(
        f"worst adversarial Markdown render ≤{MARKDOWN_MAX_MS:g} ms",
        (md.get("worst_ms", 10**9) <= MARKDOWN_MAX_MS) if md else None,
        f"{md['worst_ms']:.0f} ms ({md['worst_input']}, {md['worst_size']} chars)"
        if "worst_ms" in md
        else md.get("error", "not measured"),
    )
    seeded = [s for s in sizes if s["actions"] >= SEED_TARGET_ACTIONS]
    if seeded:
        seconds = seeded[0].get("seed_seconds")
        check(
            f"seed_scale {seeded[0]['actions']} actions < {SEED_MAX_SECONDS:g} s",
            seconds is not None and seconds < SEED_MAX_SECONDS,
            f"{seconds:.1f} s" if seconds is not None else seeded[0].get("seed_error"),
        )
    else:
        check(
            f"seed_scale {SEED_TARGET_ACTIONS} actions < {SEED_MAX_SECONDS:g} s",
            None,
            "no size with that many actions in this run",
        )
    return checks


def _fmt(value, spec):
    return format(value, spec) if isinstance(value, int | float) else "—"


def render_text(results):
    lines = [
        f"Hindsight bench — {results['started_at']} — {results['database']} — "
        f"{results['requests']} requests per page"
    ]
    for size in results["sizes"]:
        d = size.get("data", {})
        lines += [
            "",
            f"== {size['postmortems']} postmortems / {size['actions']} actions "
            f"(seed_scale {_fmt(size.get('seed_seconds'), '.1f')} s; "
            f"{d.get('teams')} teams, {d.get('factors')} factors, "
            f"{d.get('open_actions')} open actions) ==",
            f"{'page':<19}{'queries':>8}{'SQL ms':>8}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'×bare p50':>11}{'×bare p95':>11}",
        ]
        for page in size["pages"]:
            if "p50_ms" not in page:
                problem = page.get("error") or f"HTTP {page.get('status')}"
                lines.append(f"{page['name']:<19}  {str(problem)[:70]}")
                continue
            lines.append(
                f"{page['name']:<19}{page['queries']:>8}{page['sql_ms']:>8.1f}{page['p50_ms']:>9.1f}"
                f"{page['p95_ms']:>9.1f}{page['ratio_p50']:>10.1f}×{page['ratio_p95']:>10.1f}×"
            )
        mem = size.get("export_memory", {})
        if "rows" in mem:
            fresh = mem.get("fresh_process", {})
            lines.append(
                f"CSV export of {mem['rows']} rows: peak RSS "
                f"+{_fmt(fresh.get('rss_growth_mb'), '.1f')} MB over "
                f"{_fmt(fresh.get('baseline_mb'), '.0f')} MB (fresh process), "
                f"Python heap peak {mem['python_heap_peak_mb']:.1f} MB"
            )
        roll = size.get("rollup", {})
        if "seconds" in roll:
            lines.append(
                f"theme roll-up {roll['period']}: {roll['seconds'] * 1000:.0f} ms (median of "
                f"{len(roll['runs_seconds'])}), "
                f"{roll['queries']} queries, {roll['rows']} rows"
            )
        sweep = size.get("sweep", {})
        if "seconds" in sweep:
            lines.append(
                f"reminder sweep: {sweep['seconds']:.2f} s (median of "
                f"{', '.join(f'{t:.2f}' for t in sweep['runs_seconds'])}), "
                f"{sweep['queries']} queries, "
                f"{sweep['open_items']} open items in {sweep['teams_with_open_items']} teams, "
                f"{sweep['reminders_claimed']} reminders, {sweep['messages_sent']} messages sent "
                f"to {sweep['teams_with_due_items']} teams with due items "
                f"({sweep['slack_requests_received']} received by the loopback Slack)"
            )
        for key in ("rollup", "sweep", "export_memory"):
            if "error" in size.get(key, {}):
                lines.append(f"{key}: {size[key]['error']}")
        for page in size["pages"]:
            for shape, n in page.get("repeated_sql", {}).items():
                lines.append(f"  {page['name']}: {n}× {shape[:150]}")
    lint = results.get("lint", {})
    if "median_ms" in lint:
        lines += [
            "",
            f"blame detector: {lint['median_ms']:.2f} ms median, {lint['p95_ms']:.2f} ms p95 "
            f"per {lint['bytes']} bytes ({lint['runs']} runs, {lint['findings']} findings)",
        ]
    slack = results.get("slack_import", {})
    if "scan_seconds" in slack:
        lines += [
            "",
            f"Slack export of {slack['messages']} messages ({slack['uncompressed_mb']:.0f} MB "
            f"JSON, {slack['zip_mb']:.0f} MB zip): every channel previewed in "
            f"{slack['scan_seconds']:.1f} s, {slack['picked']} messages imported as "
            f"{slack['events']} events in {slack['import_seconds']:.1f} s; peak RSS "
            f"+{slack['rss_growth_mb']:.1f} MB over {slack['baseline_mb']:.0f} MB",
        ]
    elif slack:
        lines += ["", f"Slack import: {slack.get('error')}"]
    if "by_size" in results.get("markdown", {}):
        from .markdown import render_table

        lines += ["", render_table(results["markdown"])]
    if results.get("language_table"):
        lines += ["", results["language_table"]]
    lines += ["", "Targets:"]
    for check in results["targets"]:
        mark = {True: "PASS", False: "FAIL", None: "SKIP"}[check["pass"]]
        lines.append(f"  {mark}  {check['target']}: {check['measured']}")
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    url = setup_django()
    from . import jobs
    from . import markdown as markdown_bench
    from .pages import lint_text

    results = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": url.rsplit("@", 1)[-1],
        "requests": args.requests,
        "sizes": [],
    }
    began = time.perf_counter()
    if not args.pages:
        say("adversarial Markdown at every field's size limit")
        results["markdown"] = _guarded(markdown_bench.adversarial_figures)
        say("blame detector speed and corpus evaluation")
        results["lint"] = _guarded(jobs.lint_speed, lint_text())
        quality = _guarded(jobs.language_quality)
        if isinstance(quality, tuple):
            results["language"], results["language_table"] = quality
        else:
            results["language"] = quality
        from . import slack_import

        say("Slack export import: 100k messages")
        results["slack_import"] = _guarded(slack_import.figures)
    for postmortems, actions in args.sizes:
        results["sizes"].append(run_size(postmortems, actions, args.requests, args.pages))
    results["targets"] = evaluate_targets(results)
    results["seconds"] = time.perf_counter() - began
    text = render_text(results)
    print()
    print(text)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, default=str, ensure_ascii=False) + "\n")
    print(f"\nwrote {output} ({results['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
