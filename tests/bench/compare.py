"""The change of every figure between two bench runs.

Each run moves the last ``var/bench.json`` to ``var/bench.previous.json`` before writing its
own, so ``make bench-compare`` (``python -m tests.bench.compare``) shows what the last run
changed; ``python -m tests.bench --compare`` prints the same at the end of a run.
``python -m tests.bench.compare NEW OLD`` compares any two files.
"""

import json
import sys
from pathlib import Path

from . import machine

DEFAULT_OUTPUT = Path("var/bench.json")

# Keys that describe the run rather than measure something.
_NOT_FIGURES = {"requests", "status", "postmortems", "actions", "pass", "clients", "workers"}
_COLD_COPIES = {"queries", "sql_ms", "template_ms", "p50_ms", "p95_ms", "ratio_p50", "ratio_p95"}
# Figures where a larger value is better (everything else: smaller is better).
_HIGHER_IS_BETTER = ("ratio_copy", "req_per_s", "precision", "recall", "f1", "csv_copy.ratio")


def previous_path(output):
    """Where the run before ``output`` is kept: ``bench.json`` -> ``bench.previous.json``."""
    output = Path(output)
    return output.with_name(f"{output.stem}.previous{output.suffix}")


def flatten(results):
    """``{"1000/10000 · dashboard · cold.p95_ms": 5.1, …}``: every number of a run. Sizes
    and pages are named (not numbered), so runs with other page sets still line up."""
    figures = {}
    for size in results.get("sizes", []):
        tag = f"{size.get('postmortems')}/{size.get('actions')}"
        _walk({k: v for k, v in size.items() if k not in ("pages", "targets")}, tag, figures)
        for page in size.get("pages", []):
            # The top-level copies of the cold figures are left out: "cold.…" has them.
            skip = {"name", "path", "repeated_sql"} | (_COLD_COPIES if "cold" in page else set())
            _walk(
                {k: v for k, v in page.items() if k not in skip},
                f"{tag} · {page.get('name')}",
                figures,
            )
    rest = {
        k: v
        for k, v in results.items()
        if k not in ("sizes", "targets", "seconds", "machine", "pace")
    }
    _walk(rest, "", figures)
    return figures


def _walk(value, prefix, figures, path=()):
    if isinstance(value, bool) or (path and path[-1] in _NOT_FIGURES):
        return
    if isinstance(value, int | float):
        figures[_key(prefix, path)] = value
    elif isinstance(value, dict):
        for child_key, child in value.items():
            _walk(child, prefix, figures, (*path, str(child_key)))
    elif isinstance(value, list) and all(isinstance(v, dict) and "name" in v for v in value):
        for child in value:
            rest = {k: v for k, v in child.items() if k != "name"}
            _walk(rest, f"{_key(prefix, path)} · {child['name']}", figures)


def _key(prefix, path):
    return " · ".join(part for part in (prefix, ".".join(path)) if part)


def _better(key, old, new):
    higher = any(part in key for part in _HIGHER_IS_BETTER)
    return (new > old) if higher else (new < old)


def changes(previous, current):
    """Rows ``(figure, old, new, relative change or None)`` for figures in both runs whose
    value changed, and the figures only one run has."""
    old, new = flatten(previous), flatten(current)
    rows = []
    for key, value in new.items():
        if key not in old or old[key] == value:
            continue
        base = old[key]
        rows.append((key, base, value, (value - base) / abs(base) if base else None))
    only_new = sorted(set(new) - set(old))
    only_old = sorted(set(old) - set(new))
    return rows, only_new, only_old, sum(1 for k in new if k in old and old[k] == new[k])


def render_changes(previous, current):
    if previous is None:
        return "No previous run to compare with (the next run will compare with this one)."
    rows, only_new, only_old, unchanged = changes(previous, current)
    lines = [
        f"Change since the previous run ({previous.get('started_at', '?')} → "
        f"{current.get('started_at', '?')}); ▲ marks a figure 10% or more worse:",
    ]
    lines += _machines(previous.get("machine"), current.get("machine"))
    lines += _paces(previous.get("pace"), current.get("pace"))
    width = max((len(key) for key, *_ in rows), default=20)
    for key, old, new, relative in rows:
        change = "new" if relative is None else f"{relative:+.0%}"
        worse = relative is not None and abs(relative) >= 0.10 and not _better(key, old, new)
        mark = "  ▲" if worse else ""
        lines.append(f"  {key:<{width}}  {_num(old):>10} → {_num(new):<10} {change:>6}{mark}")
    if unchanged:
        lines.append(f"  ({unchanged} figures unchanged)")
    if only_new:
        lines.append(f"  only in this run: {len(only_new)} figures (e.g. {only_new[0]})")
    if only_old:
        lines.append(f"  only in the previous run: {len(only_old)} figures (e.g. {only_old[0]})")
    return "\n".join(lines)


def _machines(before, now):
    """Lines that say when two runs were not measured on the same machine and software:
    the same code reads differently on another machine, so their changes are not the
    code's alone."""
    if before == now:
        return []
    if not before or not now:
        return ["  (one of the runs did not record its machine: compare with care)"]
    return [
        "  ▲ the runs differ in machine or software, so the changes are not the code's alone:",
        f"    before: {machine.render(before)}",
        f"    now:    {machine.render(now)}",
    ]


def _paces(before, now):
    """A line when the machine itself ran at another speed in the two runs (``machine.pace``,
    the mean of each run's start and end): every figure moves with it."""
    old, new = machine.mean_pace(before), machine.mean_pace(now)
    if not old or not new or abs(new / old - 1) < machine.PACE_TOLERANCE:
        return []
    return [
        f"  ▲ the machine ran at another pace ({old:.2f} → {new:.2f} ms for the same piece of "
        f"Python, {new / old - 1:+.0%}): the figures moved with it, not only with the code"
    ]


def _num(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def load(path):
    path = Path(path)
    if not path.exists():
        return None
    return json.loads(path.read_text())


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    current_path = Path(argv[0]) if argv else DEFAULT_OUTPUT
    old_path = Path(argv[1]) if len(argv) > 1 else previous_path(current_path)
    current = load(current_path)
    if current is None:
        print(f"No run saved at {current_path}: run `make bench` first.")
        return
    print(render_changes(load(old_path), current))


if __name__ == "__main__":
    main()
