"""The dashboard's counts of the restricted items a reader may see, in one PL/pgSQL function
whose statement is planned once per connection.

Counted inline (``actions_dashboard_item_counts`` inlined into the reader's statement), the
fifty conditions of an item's counts were planned again on every cold dashboard: about as
long as reading all the stored counts. The function's statement is the same one, with the
same item function, so the figures do not change; PL/pgSQL keeps its plan for the session,
and ``force_generic_plan`` keeps it whatever the reader's postmortems (a handful of rows
found through the postmortem index either way).

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
# The columns of ``actions_dashboard_item_counts`` (migration 0009), in its order.
COLUMNS = (
    *TILES,
    *(f"age_{bucket}_p{priority}" for bucket in range(4) for priority in range(1, 5)),
    *(f"{what}_{week}" for week in range(12) for what in ("created", "completed")),
)


def _sql():
    returns = ", ".join(f"{name} bigint" for name in COLUMNS)
    sums = ", ".join(f"SUM(f.{name})" for name in COLUMNS)
    return f"""
-- Per team: the counts of the items of ``p_postmortems`` as of day p_day in zone p_zone,
-- and their oldest open item.
CREATE FUNCTION actions_dashboard_restricted_counts(
    p_postmortems bigint[], p_day date, p_zone text
) RETURNS TABLE (team_id bigint, {returns}, oldest_open timestamptz)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT i.team_id, {sums}, MIN(i.created_at) FILTER (WHERE f.open = 1)
    FROM actions_actionitem i
    CROSS JOIN LATERAL actions_dashboard_item_counts(
        i.status, i.priority, i.due_date, i.created_at, i.completed_at, p_day, p_zone) f
    WHERE i.postmortem_id = ANY(p_postmortems)
    GROUP BY i.team_id;
END
$$;
"""


REVERSE = "DROP FUNCTION IF EXISTS actions_dashboard_restricted_counts(bigint[], date, text);"


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
        ("actions", "0014_kaizen_theme_postmortems_triggers"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
