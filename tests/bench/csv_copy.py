"""The CSV export beside PostgreSQL's own COPY of the same rows, in the same run.

The export is timed through the test client (middleware, visibility rule, formula
neutralising, every byte of the streamed body read); the yardstick is
``COPY (the same join, the same order, the bare columns) TO STDOUT WITH (FORMAT csv)``
read to the end over the same connection. The ratio is the export's throughput as a
share of COPY's (rows per second over rows per second)."""

# The apps' code is imported inside the functions: ``__main__`` chooses the database and
# calls django.setup() before any of them runs (a module-level import would be too early).

import statistics
import time

EXPORT_PATH = "/actions/export.csv"
# The export must stream at least this share of what COPY streams (issue 19).
MIN_THROUGHPUT_RATIO = 0.5
# Below this many rows a request's fixed cost (session, audit record) outweighs the
# streaming: the figure is printed, the target is judged at scale only.
MIN_ROWS_JUDGED = 50_000


def raw_copy_statement(user):
    """COPY of the export's rows as the dashboard lists them, without any formatting."""
    from actions import selectors

    rows = selectors.sorted_items(
        selectors.dashboard_items(user, {}), selectors.DEFAULT_SORT
    ).values_list(*(source for _name, source in selectors.EXPORT_COLUMNS))
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", tuple(params)


def _raw_copy(statement, params):
    from django.db import connection

    rows = size = 0
    began = time.perf_counter()
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for row in copy:
            rows += 1
            size += len(row)
    return time.perf_counter() - began, rows, size


def _export(client):
    from django.test import override_settings

    with override_settings(ROOT_URLCONF="tests.bench.urls"):
        began = time.perf_counter()
        response = client.get(EXPORT_PATH)
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        seconds = time.perf_counter() - began
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code} for {EXPORT_PATH}")
    return seconds, lines - 1, size


def figures(user, runs=5):
    """Median seconds of ``runs`` exports and of ``runs`` raw COPYs, taken in turns."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    statement, params = raw_copy_statement(user)
    _export(client), _raw_copy(statement, params)  # warm: caches, plans, connection
    exports, copies = [], []
    for _ in range(runs):
        exports.append(_export(client))
        copies.append(_raw_copy(statement, params))
    export_seconds = statistics.median(s for s, _rows, _size in exports)
    copy_seconds = statistics.median(s for s, _rows, _size in copies)
    export_rows, copy_rows = exports[-1][1], copies[-1][1]
    return {
        "export_seconds": export_seconds,
        "copy_seconds": copy_seconds,
        "export_rows": export_rows,
        "copy_rows": copy_rows,
        "export_bytes": exports[-1][2],
        "copy_bytes": copies[-1][2],
        # Throughput (rows per second) of the export over that of COPY.
        "ratio": (export_rows / export_seconds) / (copy_rows / copy_seconds)
        if export_seconds and copy_seconds and copy_rows
        else None,
        "runs": runs,
    }


def check(size, check):
    """The bench's PASS/FAIL line for one size (``report.evaluate_targets``' ``check``)."""
    tag = f"{size['postmortems']}/{size['actions']}"
    found = size.get("csv_copy")
    label = f"CSV export ≥{MIN_THROUGHPUT_RATIO:.0%} of COPY's throughput ({tag})"
    if not found:
        check(label, None, "not measured")
    elif "ratio" not in found or found["ratio"] is None:
        check(label, False, found.get("error", "no ratio"))
    elif found["copy_rows"] < MIN_ROWS_JUDGED:
        check(label, None, f"{line(found)}; judged from {MIN_ROWS_JUDGED} rows")
    else:
        check(label, found["ratio"] >= MIN_THROUGHPUT_RATIO, line(found))


def line(found):
    return (
        f"{found['ratio']:.0%} (export {found['export_seconds']:.2f} s for "
        f"{found['export_rows']} rows, COPY {found['copy_seconds']:.2f} s for "
        f"{found['copy_rows']} rows, median of {found['runs']})"
    )


def render(size):
    """The printed line for one size, or nothing when it was not measured."""
    found = size.get("csv_copy")
    if not found:
        return []
    if "ratio" not in found:
        return [f"CSV export vs COPY: {found.get('error')}"]
    return [f"CSV export vs COPY: {line(found)}"]
