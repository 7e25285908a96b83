"""The dashboard's read of the stored counts for a reader who is not a superuser, and the
median time to close, in one PL/pgSQL function whose statements are planned once per
connection.

Sent as text, the statement (the stored counts per team, the restricted items the reader
may read counted per team, the first day of "completed in the last 30 days", the close
days, and the sums of the sixty figures) was planned again on every cold dashboard: about
1.2 ms, a third of its time in the database. The function's statement is the same one,
the reader's readable restricted postmortems (``p_readable``, read by the caller with the
visibility rule) and the day, zone and instants as parameters; PL/pgSQL keeps its plan for
the session, and ``force_generic_plan`` keeps it whatever the parameters (the few tables
it reads whole are small; the items are found through their indexes either way). The
median, which needed the counts' close days first and then a second statement from the
client, follows in the same call.

The SQL is written out here (not generated from the app's code) so that this migration
stays what it was when the app changes; ``actions.dashboard.counts`` calls it. Elsewhere
(SQLite) nothing is installed and the dashboard counts live.
"""

from django.db import migrations

TILES = (
    "total",
    "open",
    "overdue",
    "due_soon",
    "completed_30",
    "done",
    "done_on_time",
    "blocked",
    "closed",
)
# The columns of ``actions_dashboardcounts`` (migration 0008) and of
# ``actions_dashboard_restricted_counts`` (migration 0015), in their order.
COLUMNS = (
    *TILES,
    *(f"age_{bucket}_p{priority}" for bucket in range(4) for priority in range(1, 5)),
    *(f"{what}_{week}" for week in range(12) for what in ("created", "completed")),
)
# What each team's row brings of its counts (the per-team table), in this order.
TEAM_COLUMNS = ("total", "open", "overdue", "done", "done_on_time")

# Days from creation to completion, as the close days and the days-to-close index are
# made of; and a closed item.
DAYS = "(EXTRACT(EPOCH FROM (i.completed_at - i.created_at)) / 86400.0)"
CLOSED = "i.status IN ('done', 'wont_do') AND i.completed_at IS NOT NULL"


def _sql():
    columns = ", ".join(COLUMNS)
    stored = ", ".join(f"coalesce(c.{name}, 0)" for name in COLUMNS)
    first_day = ", ".join("COUNT(*)" if name == "completed_30" else "0" for name in COLUMNS)
    team_columns = ", ".join(f"u.{name}" for name in TEAM_COLUMNS)
    sums = ", ".join(f"coalesce(SUM(u.{name}), 0)" for name in COLUMNS)
    no_team = ", ".join("0" for _name in TEAM_COLUMNS)
    no_team_bigint = ", ".join("0::bigint" for _name in TEAM_COLUMNS)
    team_returns = ", ".join(f"{name} bigint" for name in TEAM_COLUMNS)
    return f"""
-- Rows of four kinds (``src``): 0 a team's stored counts with the day and zone they are
-- of, 1 a team's restricted items that ``p_readable`` holds counted as of ``p_day`` in
-- ``p_zone``, 4 the sums of every figure (``a``), 6 the median time to close (last). A
-- team's rows carry its name and its oldest open item in microseconds since the epoch.
-- Done items from ``p_since`` to ``p_first`` are counted into ``completed_30`` (the first
-- day's hours the counts lack).
CREATE FUNCTION actions_dashboard_read(
    p_readable bigint[], p_day date, p_zone text, p_since timestamptz, p_first timestamptz
) RETURNS TABLE (
    src integer, team_id bigint, day date, zone text, a bigint[], b bigint[],
    {team_returns}, oldest_open bigint, team__name text, middle double precision[]
)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
DECLARE
    v_items bigint;
    v_low integer;
    v_high integer;
    v_offset bigint;
BEGIN
    RETURN QUERY
    WITH u (src, team_id, day, zone, {columns}, oldest_open) AS (
        SELECT 0, d.team_id, d.day, d.zone, {stored}, c.oldest_open
        FROM actions_dashboardday d
        LEFT JOIN actions_dashboardcounts c ON c.team_id = d.team_id AND NOT c.restricted
        UNION ALL
        SELECT 1, g.team_id, NULL, NULL, {columns}, g.oldest_open
        FROM actions_dashboard_restricted_counts(p_readable, p_day, p_zone) AS g
        UNION ALL
        SELECT 2, NULL, NULL, NULL, {first_day}, NULL
        FROM actions_actionitem i
        WHERE i.status = 'done' AND i.completed_at >= p_since AND i.completed_at < p_first
        AND (i.postmortem_id NOT IN (SELECT id FROM postmortems_postmortem WHERE restricted)
             OR i.postmortem_id = ANY(p_readable))
    )
    SELECT u.src::integer, u.team_id::bigint, u.day::date, u.zone::text,
        NULL::bigint[], NULL::bigint[], {team_columns},
        (EXTRACT(EPOCH FROM u.oldest_open) * 1000000)::bigint, t.name::text,
        NULL::double precision[]
    FROM u JOIN postmortems_team t ON t.id = u.team_id
    UNION ALL
    SELECT 4, NULL, NULL, NULL, ARRAY[{sums}]::bigint[], NULL, {no_team}, NULL, NULL, NULL
    FROM u;
    -- The median time to close: the close days (stored, and of the readable restricted
    -- items) say which tenth(s) of a day hold the middle item(s); one read of that stretch
    -- of the days-to-close index finds them. ``a``: how many items the close days hold,
    -- ``middle``: the middle value(s), that percentile_cont would interpolate between.
    WITH s AS (
        SELECT h.tenths, SUM(h.items) OVER (ORDER BY h.tenths) - h.items AS seen,
            SUM(h.items) OVER (ORDER BY h.tenths) AS upto, SUM(h.items) OVER () AS n
        FROM (
            SELECT x.tenths, SUM(x.items)::integer AS items
            FROM (
                SELECT d.tenths, d.items FROM actions_dashboardclosedays d
                WHERE NOT d.restricted
                UNION ALL
                SELECT floor({DAYS} * 10)::integer, 1
                FROM actions_actionitem i
                WHERE {CLOSED} AND i.postmortem_id = ANY(p_readable)
            ) AS x
            GROUP BY x.tenths
        ) AS h
    )
    -- The first tenth whose items reach past the lower middle rank, how far into it that
    -- rank is (the items before a tenth only grow with it), and the same for the upper.
    SELECT coalesce(MAX(s.n), 0),
        MIN(s.tenths) FILTER (WHERE (s.n - 1) / 2 < s.upto),
        (MAX(s.n) - 1) / 2 - MIN(s.seen) FILTER (WHERE (s.n - 1) / 2 < s.upto),
        MIN(s.tenths) FILTER (WHERE s.n / 2 < s.upto)
    INTO v_items, v_low, v_offset, v_high
    FROM s;
    RETURN QUERY
    SELECT 6, NULL::bigint, NULL::date, NULL::text, ARRAY[v_items], NULL::bigint[],
        {no_team_bigint}, NULL::bigint, NULL::text,
        CASE WHEN v_items > 0 AND v_low IS NOT NULL AND v_high IS NOT NULL THEN ARRAY(
            SELECT {DAYS}::double precision
            FROM actions_actionitem i
            WHERE {CLOSED} AND {DAYS} >= v_low / 10.0 AND {DAYS} < (v_high + 1) / 10.0
            AND (i.postmortem_id NOT IN (SELECT id FROM postmortems_postmortem WHERE restricted)
                 OR i.postmortem_id = ANY(p_readable))
            ORDER BY {DAYS}
            OFFSET v_offset LIMIT 1 + v_items / 2 - (v_items - 1) / 2
        ) END;
END
$$;
"""


REVERSE = (
    "DROP FUNCTION IF EXISTS actions_dashboard_read(bigint[], date, text, timestamptz, "
    "timestamptz);"
)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_sql())


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0015_dashboard_restricted_counts"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
