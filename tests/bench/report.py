"""The bench's targets, how each figure is checked against them, and the printed table."""

from . import csv_copy

# Targets (bench.json carries them next to each figure).
MAX_QUERIES = {"detail": 12, "dashboard": 10, "kaizen": 10, "metrics": 10, "api": 5}
DASHBOARD_MAX_RATIO = 4.0
SWEEP_MAX_SECONDS = 5.0
ROLLUP_MAX_SECONDS = 3.0
LINT_MAX_RATIO = 4.0
MARKDOWN_MAX_MS = 250.0
SEED_MAX_SECONDS = 60.0
SEED_TARGET_ACTIONS = 100_000
SLACK_IMPORT_MAX_RSS_MB = 100.0
# The slowest /metrics/ request over the widest range allowed (MAX_REPORT_RANGE_DAYS), cold.
METRICS_RANGE_MAX_MS = 2000.0

PAGE_KEYS = {
    "postmortem detail": "detail",
    "dashboard": "dashboard",
    "kaizen": "kaizen",
    "metrics": "metrics",
    "API postmortems": "api",
    "API action items": "api",
}


# --- Targets and output ----------------------------------------------------------------------


def evaluate_targets(results):
    checks = []

    def check(label, ok, measured):
        # ok None: the figure was not taken in this run (e.g. --quick has no 100k size).
        passed = None if ok is None else bool(ok)
        checks.append({"target": label, "pass": passed, "measured": measured})

    sizes = results["sizes"]
    if not sizes:  # --blame: only the blame detector's figures
        _blame_checks(results, check)
        return checks
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
    for size in sizes:
        csv_copy.check(size, check)
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
    for size in sizes:
        pages = {p["name"]: p for p in size["pages"]}
        lint_page, bare = pages.get("lint 10 kB", {}), pages.get("bare view", {})
        ratio = lint_page.get("ratio_p95")
        check(
            f"lint endpoint p95 ≤{LINT_MAX_RATIO:g}× bare view "
            f"({size['postmortems']}/{size['actions']})",
            (ratio is not None and ratio <= LINT_MAX_RATIO) if lint_page else None,
            f"{ratio:.1f}× ({lint_page['p95_ms']:.1f} vs {bare['p95_ms']:.1f} ms)"
            if ratio is not None
            else lint_page.get("error", "not measured"),
        )
    _blame_checks(results, check)
    md = results.get("markdown", {})
    check(
        f"worst adversarial Markdown render ≤{MARKDOWN_MAX_MS:g} ms",
        (md.get("worst_ms", 10**9) <= MARKDOWN_MAX_MS) if md else None,
        f"{md['worst_ms']:.0f} ms ({md['worst_input']}, {md['worst_size']} chars)"
        if "worst_ms" in md
        else md.get("error", "not measured"),
    )
    slack = results.get("slack_import", {})
    check(
        f"Slack import of 100k messages: peak RSS growth ≤{SLACK_IMPORT_MAX_RSS_MB:g} MB",
        (slack.get("rss_growth_mb", 10**9) <= SLACK_IMPORT_MAX_RSS_MB) if slack else None,
        f"{slack['rss_growth_mb']:.1f} MB" if "rss_growth_mb" in slack else slack.get("error"),
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


def _blame_checks(results, check):
    blame = results.get("blame", {})
    if "error" in blame:
        check("blame detector figures", False, blame["error"])
    elif blame:
        from .blame import targets as blame_targets

        for label, ok, measured in blame_targets(blame):
            check(label, ok, measured)


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
        lines += csv_copy.render(size)
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
    if "by_size" in results.get("markdown", {}):
        from .markdown import render_table

        lines += ["", render_table(results["markdown"])]
    if results.get("blame", {}).get("table"):
        lines += ["", results["blame"]["table"]]
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
    lines += ["", "Targets:"]
    for check in results["targets"]:
        mark = {True: "PASS", False: "FAIL", None: "SKIP"}[check["pass"]]
        lines.append(f"  {mark}  {check['target']}: {check['measured']}")
    return "\n".join(lines)
