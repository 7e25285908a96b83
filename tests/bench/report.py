"""The bench's targets, how each figure is checked against them, and the printed table."""

from . import csv_copy, machine

# Targets (bench.json carries them next to each figure).
MAX_QUERIES = {"detail": 12, "dashboard": 10, "kaizen": 10, "metrics": 10, "api": 5}
# Ratios are p95 to the bare view's p95 in the same run: cold to cold, warm to warm.
DETAIL_MAX_KB = 150  # kilobytes of HTML (1 kB = 1000 bytes)
DETAIL_MAX_RATIO_COLD = 15.0
DASHBOARD_MAX_RATIO_COLD = 6.0
DASHBOARD_MAX_RATIO_WARM = 3.0
PAGES_MAX_RATIO_COLD = 10.0
PAGES_WITH_RATIO_TARGET = ("home", "postmortem list", "kaizen", "metrics")
SWEEP_MAX_SECONDS = 3.0
# O(teams), not O(items): at most this many statements per team with due items, plus a few.
SWEEP_QUERIES_PER_TEAM = 10
SWEEP_QUERIES_BASE = 50
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
        _ratio_checks(pages, tag, check)
        detail = pages.get("postmortem detail", {})
        check(
            f"postmortem detail ≤{DETAIL_MAX_KB} kB of HTML ({tag})",
            detail["bytes"] <= DETAIL_MAX_KB * 1000 if "bytes" in detail else None,
            f"{detail['bytes'] / 1000:.0f} kB"
            if "bytes" in detail
            else detail.get("error", "not measured"),
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
        budget = SWEEP_QUERIES_PER_TEAM * sweep["teams_with_due_items"] + SWEEP_QUERIES_BASE
        check(
            f"sweep queries O(teams): ≤{SWEEP_QUERIES_PER_TEAM}×teams+{SWEEP_QUERIES_BASE}",
            sweep["queries"] <= budget,
            f"{sweep['queries']} queries for {sweep['teams_with_due_items']} teams "
            f"({sweep['open_items']} open items; budget {budget})",
        )
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


# (page, cold or warm, the most its p95 may be over the bare view's p95 in the same phase)
RATIO_TARGETS = [
    ("postmortem detail", "cold", DETAIL_MAX_RATIO_COLD),
    ("dashboard", "cold", DASHBOARD_MAX_RATIO_COLD),
    ("dashboard", "warm", DASHBOARD_MAX_RATIO_WARM),
    *((name, "cold", PAGES_MAX_RATIO_COLD) for name in PAGES_WITH_RATIO_TARGET),
    ("lint 10 kB", "cold", LINT_MAX_RATIO),
]


def _ratio_checks(pages, tag, check):
    """p95 of each page with a target over the bare view's p95, cold to cold, warm to warm."""
    bare = pages.get("bare view", {})
    for name, phase, limit in RATIO_TARGETS:
        page = pages.get(name)
        label = f"{name} p95 {phase} ≤{limit:g}× bare view ({tag})"
        if page is None:
            check(label, None, "not measured")
            continue
        figures, bare_figures = page.get(phase, {}), bare.get(phase, {})
        ratio = figures.get("ratio_p95")
        check(
            label,
            ratio is not None and ratio <= limit,
            f"{ratio:.1f}× ({figures['p95_ms']:.1f} vs {bare_figures['p95_ms']:.1f} ms)"
            if ratio is not None
            else page.get("error", "not measured"),
        )


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


PAGE_HEADER = (
    f"{'page':<19}{'kB':>6}{'queries':>9}{'SQL ms':>8}{'tpl ms':>8}"
    f"{'cold p50':>10}{'p95':>8}{'warm p50':>10}{'p95':>8}{'×bare cold':>12}{'warm':>7}"
)


def _page_line(page):
    """One page: size, queries (cold/warm), SQL and template ms (cold medians), p50/p95
    cold and warm, p95 over the bare view's p95 cold and warm."""
    if "cold" not in page:
        problem = page.get("error") or f"HTTP {page.get('status')}"
        return f"{page['name']:<19}  {str(problem)[:70]}"
    cold, warm = page["cold"], page["warm"]
    queries = f"{cold['queries']}/{warm['queries']}"
    return (
        f"{page['name']:<19}{page['bytes'] / 1000:>6.0f}{queries:>9}"
        f"{cold['sql_ms']:>8.1f}{cold['template_ms']:>8.1f}"
        f"{cold['p50_ms']:>10.1f}{cold['p95_ms']:>8.1f}{warm['p50_ms']:>10.1f}{warm['p95_ms']:>8.1f}"
        f"{_fmt(cold.get('ratio_p95'), '.1f'):>11}×{_fmt(warm.get('ratio_p95'), '.1f'):>6}×"
    )


def render_text(results):
    lines = [
        f"Hindsight bench — {results['started_at']} — {results['database']} — "
        f"{results['requests']} requests per page",
        machine.render(results.get("machine")),
    ]
    paced = machine.render_pace(results.get("pace"))
    if paced:
        lines.append(paced)
    if results.get("cold_clears"):
        lines.append(
            "cold: before each timed request, cleared " + ", ".join(results["cold_clears"])
        )
    if results.get("cold_keeps"):
        lines.append(
            "kept, as compiled templates are (built from the code, never from data): "
            + ", ".join(results["cold_keeps"])
        )
    for size in results["sizes"]:
        d = size.get("data", {})
        lines += [
            "",
            f"== {size['postmortems']} postmortems / {size['actions']} actions "
            f"(seed_scale {_fmt(size.get('seed_seconds'), '.1f')} s; "
            f"{d.get('teams')} teams, {d.get('factors')} factors, "
            f"{d.get('open_actions')} open actions) ==",
            PAGE_HEADER,
        ]
        lines += [_page_line(page) for page in size["pages"]]
        if size.get("concurrent"):
            from .concurrent import render as render_concurrent

            lines += render_concurrent(size["concurrent"])
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
            if "delivery_seconds" in sweep:
                lines.append(
                    f"  its deliveries, one after the other: {sweep['delivery_seconds']:.2f} s, "
                    f"{sweep['delivery_queries']} queries "
                    f"(sweep and deliveries: {sweep['with_delivery_seconds']:.2f} s)"
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
