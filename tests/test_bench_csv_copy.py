"""The bench's CSV-vs-COPY line and target (tests/bench/csv_copy.py)."""

from tests.bench.report import evaluate_targets, render_text


def size(found, rows=95_000):
    measured = {
        "ratio": found,
        "export_seconds": 0.4,
        "copy_seconds": 0.26,
        "export_rows": rows,
        "copy_rows": rows,
        "runs": 5,
    }
    return {"postmortems": 10_000, "actions": 100_000, "pages": [], "csv_copy": measured}


def verdicts(sizes):
    results = {"sizes": sizes, "started_at": "now", "database": "db", "requests": 1}
    checks = evaluate_targets(results)
    results["targets"] = checks
    return [c for c in checks if c["target"].startswith("CSV export ≥")], render_text(results)


def test_half_of_copys_throughput_passes_and_less_fails():
    (passed,), text = verdicts([size(0.65)])
    assert passed["pass"] is True
    assert "CSV export vs COPY: 65% (export 0.40 s for 95000 rows, COPY 0.26 s" in text
    (failed,), _text = verdicts([size(0.3)])
    assert failed["pass"] is False


def test_small_sizes_print_the_figure_without_judging_it():
    (small,), text = verdicts([size(0.1, rows=2_000)])
    assert small["pass"] is None
    assert "CSV export vs COPY: 10%" in text


def test_a_size_without_the_figure_is_skipped_and_an_error_fails():
    missing = size(0.9)
    del missing["csv_copy"]
    (skipped,), _text = verdicts([missing])
    assert skipped["pass"] is None
    broken = size(0.9)
    broken["csv_copy"] = {"error": "RuntimeError: HTTP 500"}
    (failed,), text = verdicts([broken])
    assert failed["pass"] is False
    assert "HTTP 500" in text
