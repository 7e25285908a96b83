"""The dashboard's read function (migration 0016) finds the median's tenth of a day by
reading the close days in order only as far as the middle, rather than numbering all of
them.

0016 grouped the close days by tenth, ran two window sums over every group (one of them
over the whole set, for the number of items) and took the middle from the result: at 100k
items about 1,400 groups went through a hash, a sort and two windows on every cold
dashboard, over half of the function's time. Here the number of items is one plain sum,
then the running sum stops at the first groups past the middle rank (a ``LIMIT`` over a
window that only looks back): about half the groups, one window. The restricted items a
reader may read are grouped by tenth first, so a tenth has at most two rows (stored, and
the reader's), which is why the first four rows past the lower middle rank hold both
middle tenths. What the function returns is unchanged.

The rest of the function is 0016's own text: it is read from that migration, which never
changes, and only the median's first statement is replaced.
"""

import importlib

from django.db import migrations

_0016 = importlib.import_module("actions.migrations.0016_dashboard_read")

# 0016's statement that finds the middle tenths: from its comment to the end of the
# statement.
OLD_START = "    -- The median time to close: the close days (stored, and of the readable"
OLD_END = "    INTO v_items, v_low, v_offset, v_high\n    FROM s;\n"

NEW = f"""    -- The median time to close: the close days (stored, and of the readable restricted
    -- items) say which tenth(s) of a day hold the middle item(s); one read of that stretch
    -- of the days-to-close index finds them. ``v_items``: how many items the close days
    -- hold.
    SELECT coalesce(SUM(x.items), 0) INTO v_items
    FROM (
        SELECT d.items FROM actions_dashboardclosedays d WHERE NOT d.restricted
        UNION ALL
        SELECT 1 FROM actions_actionitem i
        WHERE {_0016.CLOSED} AND i.postmortem_id = ANY(p_readable)
    ) AS x;
    -- The running sum of the items up to each tenth (``upto``) and before it (``seen``),
    -- in order, only as far as the first rows past the lower middle rank: the first of
    -- them is the lower middle's tenth, and the upper middle's is among them (a tenth has
    -- at most two rows, each of at least one item).
    SELECT MIN(s.tenths), (v_items - 1) / 2 - MIN(s.seen),
        MIN(s.tenths) FILTER (WHERE v_items / 2 < s.upto)
    INTO v_low, v_offset, v_high
    FROM (
        SELECT w.tenths, w.upto, w.seen
        FROM (
            SELECT x.tenths, SUM(x.items) OVER (ORDER BY x.tenths) AS upto,
                -- (no row before the first tenth: a sum of nothing, NULL, is none)
                coalesce(SUM(x.items) OVER (
                    ORDER BY x.tenths RANGE BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                ), 0) AS seen
            FROM (
                SELECT d.tenths, d.items FROM actions_dashboardclosedays d
                WHERE NOT d.restricted AND d.items > 0
                UNION ALL
                SELECT floor({_0016.DAYS} * 10)::integer, COUNT(*)::integer
                FROM actions_actionitem i
                WHERE {_0016.CLOSED} AND i.postmortem_id = ANY(p_readable)
                GROUP BY 1
            ) AS x
        ) AS w
        WHERE (v_items - 1) / 2 < w.upto
        ORDER BY w.tenths
        LIMIT 4
    ) AS s;
"""


def _sql(old):
    start, end = old.index(OLD_START), old.index(OLD_END) + len(OLD_END)
    return old[:start] + NEW + old[end:]


def _replace(schema_editor, sql):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(sql.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))


def install(apps, schema_editor):
    _replace(schema_editor, _sql(_0016._sql()))


def uninstall(apps, schema_editor):
    _replace(schema_editor, _0016._sql())


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0016_dashboard_read"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
