"""PostgreSQL keeps ``DashboardCounts`` and ``DashboardCloseDays`` in the transaction of
every write to an action item, whatever makes it (services, admin, bulk updates, raw SQL),
and of every change to a postmortem's ``restricted``; then builds them once.

The SQL is written out here (not generated from the app's code) so that this migration
stays what it was when the app changes; ``actions.dashboard.counts`` reads the tables and
its tests compare every figure with the live query after random writes. Elsewhere (SQLite)
nothing is installed and the dashboard counts live.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

OPEN = "('open', 'in_progress', 'blocked')"
CLOSED = "('done', 'wont_do')"
AGES = ((0, 7), (8, 30), (31, 90), (91, None))
WEEKS = 12


def _start(day):
    """The start of ``day`` (a date expression) in the zone ``tz``."""
    return f"(({day})::timestamp AT TIME ZONE tz)"


def _week(n):
    # Monday of the n-th of the last 12 weeks (n = 11: this week), from x.w = this Monday.
    return _start(f"x.w - {7 * (WEEKS - 1 - n)}")


def _item_columns():
    """(column, condition) for one item as of day ``d`` in zone ``tz``: the dashboard's
    figures (actions.dashboard.figures._count_conditions), in its order."""
    columns = [
        ("total", "true"),
        ("open", "x.o"),
        ("overdue", "x.o AND due < d"),
        ("due_soon", "x.o AND due >= d AND due <= d + 7"),
        ("completed_30", f"st = 'done' AND completed >= {_start('d + 1')} - interval '720 hours'"),
        ("done", "st = 'done'"),
        ("done_on_time", "st = 'done' AND (completed AT TIME ZONE tz)::date <= due"),
        ("blocked", "st = 'blocked'"),
        ("closed", f"st IN {CLOSED} AND completed IS NOT NULL"),
    ]
    for bucket, (low, high) in enumerate(AGES):
        age = f"created < {_start(f'd + {1 - low}')}"
        if high is not None:
            age += f" AND created >= {_start(f'd - {high}')}"
        for priority in range(1, 5):
            columns.append((f"age_{bucket}_p{priority}", f"x.o AND pr = 'P{priority}' AND {age}"))
    for n in range(WEEKS):
        created = f"created >= {_week(n)} AND created < {_week(n + 1)}"
        completed = f"st = 'done' AND completed >= {_week(n)} AND completed < {_week(n + 1)}"
        columns += [(f"created_{n}", created), (f"completed_{n}", completed)]
    return columns


COLUMNS = [name for name, _condition in _item_columns()]
DAYS_TO_CLOSE = "EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0"


def _sql():
    cols = ", ".join(COLUMNS)
    returns = ", ".join(f"{name} integer" for name in COLUMNS)
    values = ",\n      ".join(
        f"coalesce({condition}, false)::integer" for _name, condition in _item_columns()
    )
    sums = ", ".join(f"SUM(c.sign * f.{name})" for name in COLUMNS)
    adds = ", ".join(f"{name} = t.{name} + excluded.{name}" for name in COLUMNS)
    plain_sums = ", ".join(f"SUM(f.{name})" for name in COLUMNS)
    close_days = DAYS_TO_CLOSE.format(end="c.completed_at", start="c.created_at")
    item_days = DAYS_TO_CLOSE.format(end="i.completed_at", start="i.created_at")
    index_days = DAYS_TO_CLOSE.format(end='"completed_at"', start='"created_at"')
    change = "ROW({sign}, {r}.team_id, {restricted}, {r}.status, {r}.priority, {r}.due_date, {r}.created_at, {r}.completed_at)::actions_dashboard_change"  # noqa: E501
    return f"""
-- The median time to close reads a tenth of a day of this index (actions.dashboard.counts).
CREATE INDEX actionitem_days_to_close ON actions_actionitem (({index_days}))
    WHERE status IN {CLOSED} AND completed_at IS NOT NULL;

CREATE TYPE actions_dashboard_change AS (
    sign integer, team_id bigint, restricted boolean, status text, priority text,
    due_date date, created_at timestamptz, completed_at timestamptz
);

-- One item's contribution to each count, as of day d in zone tz.
CREATE FUNCTION actions_dashboard_item_counts(
    st text, pr text, due date, created timestamptz, completed timestamptz, d date, tz text
) RETURNS TABLE ({returns}) LANGUAGE sql STABLE AS $$
    SELECT
      {values}
    FROM (SELECT st IN {OPEN} AS o, d - (extract(isodow FROM d)::integer - 1) AS w) AS x
$$;

-- Adds +1/-1 changes of items to the counts of their teams and to the close days.
CREATE FUNCTION actions_dashboard_apply(changes actions_dashboard_change[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(changes), 0) = 0
       OR current_setting('hindsight.dashboard_counts', true) = 'off' THEN
        RETURN;
    END IF;
    -- Shared with other writers, exclusive for a rebuild of the team: a rebuild waits for
    -- this transaction, and this one for a rebuild, so no change is counted twice or lost.
    INSERT INTO actions_dashboardday (team_id, zone)
        SELECT DISTINCT c.team_id, '' FROM unnest(changes) c ORDER BY 1
        ON CONFLICT (team_id) DO NOTHING;
    PERFORM 1 FROM actions_dashboardday
        WHERE team_id IN (SELECT c.team_id FROM unnest(changes) c)
        ORDER BY team_id FOR SHARE;
    INSERT INTO actions_dashboardcounts AS t (team_id, restricted, {cols}, oldest_open)
        SELECT c.team_id, c.restricted, {sums},
               MIN(c.created_at) FILTER (WHERE c.sign > 0 AND c.status IN {OPEN})
        FROM unnest(changes) c
        JOIN actions_dashboardday d ON d.team_id = c.team_id AND d.day IS NOT NULL
        CROSS JOIN LATERAL actions_dashboard_item_counts(
            c.status, c.priority, c.due_date, c.created_at, c.completed_at, d.day, d.zone) f
        GROUP BY c.team_id, c.restricted
        ORDER BY c.team_id, c.restricted
    ON CONFLICT (team_id, restricted) DO UPDATE SET {adds},
        oldest_open = LEAST(t.oldest_open, excluded.oldest_open);
    -- An open item that left may have been the oldest (the row is locked by now).
    UPDATE actions_dashboardcounts t SET oldest_open = (
        SELECT MIN(i.created_at) FROM actions_actionitem i
        JOIN postmortems_postmortem p ON p.id = i.postmortem_id
        WHERE i.team_id = t.team_id AND p.restricted = t.restricted AND i.status IN {OPEN}
    ) WHERE (t.team_id, t.restricted) IN (
        SELECT c.team_id, c.restricted FROM unnest(changes) c
        WHERE c.sign < 0 AND c.status IN {OPEN});
    INSERT INTO actions_dashboardclosedays AS h (restricted, tenths, items)
        SELECT c.restricted, floor(({close_days}) * 10)::integer, SUM(c.sign)
        FROM unnest(changes) c
        WHERE c.status IN {CLOSED} AND c.completed_at IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (restricted, tenths) DO UPDATE SET items = h.items + excluded.items;
END
$$;

CREATE FUNCTION actions_dashboard_items_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_dashboard_apply(ARRAY(
        SELECT {change.format(sign=1, r="n", restricted="p.restricted")}
        FROM new_rows n JOIN postmortems_postmortem p ON p.id = n.postmortem_id));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_dashboard_items_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_dashboard_apply(ARRAY(
        SELECT {change.format(sign=-1, r="o", restricted="p.restricted")}
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        JOIN postmortems_postmortem p ON p.id = o.postmortem_id
        WHERE (o.team_id, o.postmortem_id, o.status, o.priority, o.due_date, o.created_at,
               o.completed_at)
              IS DISTINCT FROM (n.team_id, n.postmortem_id, n.status, n.priority, n.due_date,
                                n.created_at, n.completed_at)
        UNION ALL
        SELECT {change.format(sign=1, r="n", restricted="p.restricted")}
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN postmortems_postmortem p ON p.id = n.postmortem_id
        WHERE (o.team_id, o.postmortem_id, o.status, o.priority, o.due_date, o.created_at,
               o.completed_at)
              IS DISTINCT FROM (n.team_id, n.postmortem_id, n.status, n.priority, n.due_date,
                                n.created_at, n.completed_at)));
    RETURN NULL;
END
$$;

-- A deleted postmortem's items were taken off with it (or are deleted first, the usual
-- order, and taken off here): either way once.
CREATE FUNCTION actions_dashboard_items_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_dashboard_apply(ARRAY(
        SELECT {change.format(sign=-1, r="o", restricted="p.restricted")}
        FROM old_rows o JOIN postmortems_postmortem p ON p.id = o.postmortem_id));
    RETURN NULL;
END
$$;

-- A postmortem made restricted (or not) moves its items between the two kinds of counts.
CREATE FUNCTION actions_dashboard_postmortem_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.restricted IS NOT DISTINCT FROM NEW.restricted THEN
            RETURN NULL;
        END IF;
        PERFORM actions_dashboard_apply(ARRAY(
            SELECT {change.format(sign=-1, r="i", restricted="OLD.restricted")}
            FROM actions_actionitem i WHERE i.postmortem_id = OLD.id
            UNION ALL
            SELECT {change.format(sign=1, r="i", restricted="NEW.restricted")}
            FROM actions_actionitem i WHERE i.postmortem_id = NEW.id));
    ELSE
        PERFORM actions_dashboard_apply(ARRAY(
            SELECT {change.format(sign=-1, r="i", restricted="OLD.restricted")}
            FROM actions_actionitem i WHERE i.postmortem_id = OLD.id));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER actions_dashboard_items_inserted AFTER INSERT ON actions_actionitem
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_dashboard_items_inserted();
CREATE TRIGGER actions_dashboard_items_updated AFTER UPDATE ON actions_actionitem
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_dashboard_items_updated();
CREATE TRIGGER actions_dashboard_items_deleted AFTER DELETE ON actions_actionitem
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_dashboard_items_deleted();
CREATE TRIGGER actions_dashboard_postmortem_changed
    AFTER UPDATE OF restricted OR DELETE ON postmortems_postmortem
    FOR EACH ROW EXECUTE FUNCTION actions_dashboard_postmortem_changed();

-- One team's counts from its items, as of p_day in p_zone (its own statement, after the
-- exclusive lock: it sees every change committed before).
CREATE FUNCTION actions_dashboard_rebuild(p_team bigint, p_day date, p_zone text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO actions_dashboardday (team_id, zone) VALUES (p_team, '')
        ON CONFLICT (team_id) DO NOTHING;
    PERFORM 1 FROM actions_dashboardday WHERE team_id = p_team FOR UPDATE;
    DELETE FROM actions_dashboardcounts WHERE team_id = p_team;
    INSERT INTO actions_dashboardcounts (team_id, restricted, {cols}, oldest_open)
        SELECT i.team_id, p.restricted, {plain_sums},
               MIN(i.created_at) FILTER (WHERE i.status IN {OPEN})
        FROM actions_actionitem i
        JOIN postmortems_postmortem p ON p.id = i.postmortem_id
        CROSS JOIN LATERAL actions_dashboard_item_counts(
            i.status, i.priority, i.due_date, i.created_at, i.completed_at, p_day, p_zone) f
        WHERE i.team_id = p_team
        GROUP BY i.team_id, p.restricted;
    UPDATE actions_dashboardday SET day = p_day, zone = p_zone WHERE team_id = p_team;
END
$$;

-- The close days from every item (after a bulk load with the counts switched off).
CREATE FUNCTION actions_dashboard_rebuild_close_days() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE actions_dashboardclosedays IN EXCLUSIVE MODE;
    DELETE FROM actions_dashboardclosedays;
    INSERT INTO actions_dashboardclosedays (restricted, tenths, items)
        SELECT p.restricted, floor(({item_days}) * 10)::integer, COUNT(*)
        FROM actions_actionitem i JOIN postmortems_postmortem p ON p.id = i.postmortem_id
        WHERE i.status IN {CLOSED} AND i.completed_at IS NOT NULL
        GROUP BY 1, 2;
END
$$;
"""


REVERSE = """
DROP TRIGGER IF EXISTS actions_dashboard_postmortem_changed ON postmortems_postmortem;
DROP TRIGGER IF EXISTS actions_dashboard_items_deleted ON actions_actionitem;
DROP TRIGGER IF EXISTS actions_dashboard_items_updated ON actions_actionitem;
DROP TRIGGER IF EXISTS actions_dashboard_items_inserted ON actions_actionitem;
DROP FUNCTION IF EXISTS actions_dashboard_rebuild_close_days();
DROP FUNCTION IF EXISTS actions_dashboard_rebuild(bigint, date, text);
DROP FUNCTION IF EXISTS actions_dashboard_postmortem_changed();
DROP FUNCTION IF EXISTS actions_dashboard_items_deleted();
DROP FUNCTION IF EXISTS actions_dashboard_items_updated();
DROP FUNCTION IF EXISTS actions_dashboard_items_inserted();
DROP FUNCTION IF EXISTS actions_dashboard_apply(actions_dashboard_change[]);
DROP FUNCTION IF EXISTS actions_dashboard_item_counts(text, text, date, timestamptz, timestamptz, date, text);
DROP TYPE IF EXISTS actions_dashboard_change;
DROP INDEX IF EXISTS actionitem_days_to_close;
"""  # noqa: E501


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_sql())
        # Every team with items, counted as of today in the server's zone.
        zone = settings.TIME_ZONE
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        cursor.execute(
            "SELECT actions_dashboard_rebuild(team_id, %s, %s) "
            "FROM (SELECT DISTINCT team_id FROM actions_actionitem ORDER BY 1) AS teams",
            [today, zone],
        )
        cursor.execute("SELECT actions_dashboard_rebuild_close_days()")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0008_dashboard_counts"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
