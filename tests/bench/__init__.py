"""``make bench``: Hindsight's figures at scale on PostgreSQL.

``python -m tests.bench [--quick]`` seeds two sizes with ``seed_scale`` and prints, per size,
each page's SQL query count, p50/p95 and ratio to a bare template view, the reminder sweep,
the theme roll-up, the memory of streaming the CSV export, and the blame detector's speed
and precision/recall, each with PASS/FAIL against its target. Writes ``var/bench.json``.

Not collected by pytest: no module here is named ``test_*.py``.
"""
