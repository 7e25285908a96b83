"""PostgreSQL keeps ``KaizenOpenItems`` in the transaction of every write to an action item,
to a factor's themes, and to a postmortem's ``restricted``, whatever makes it (services,
admin, bulk updates, raw SQL); then counts it once.

What the rows hold, by definition: for every open item, every theme of its factor (the
factor's rows of the themes' link table) and its postmortem, one item in the row of
(theme, item's team, the postmortem's id if restricted else 0); ``overdue`` when it is due
on or before ``KaizenOpenDay.day``, ``prevent`` when its kind is ``prevent``. Each trigger
adds what its statement changed (new rows minus old rows) with the other tables as they are,
so the rows stay that sum whatever order the writes come in.

The SQL is written out here (not generated from the app's code) so that this migration
stays what it was when the app changes; ``actions.kaizen.open_items`` reads the table and
its tests compare it with the live query after random writes. Elsewhere (SQLite) nothing is
installed and the Kaizen page counts live.
"""

from django.db import migrations
from django.utils import timezone

OPEN = "('open', 'in_progress', 'blocked')"
ITEMS = "actions_actionitem"
LINKS = "postmortems_contributingfactor_themes"
POSTMORTEMS = "postmortems_postmortem"


def _change(sign, item, restricted):
    return (
        f"ROW({sign}, ft.theme_id, {item}.team_id, "
        f"CASE WHEN {restricted} THEN {item}.postmortem_id ELSE 0 END, "
        f"{item}.due_date, {item}.kind)::actions_kaizen_open_change"
    )


def _rows(sign, item_rows, item="i"):
    """The changes of the open items in ``item_rows`` (a table expression aliased ``item``)
    with their themes and postmortems."""
    return (
        f"SELECT {_change(sign, item, 'p.restricted')} FROM {item_rows} {item} "
        f"JOIN {LINKS} ft ON ft.contributingfactor_id = {item}.factor_id "
        f"JOIN {POSTMORTEMS} p ON p.id = {item}.postmortem_id "
        f"WHERE {item}.status IN {OPEN}"
    )


# What an item's contribution is made of: an update changing none of it changes nothing.
_ITEM_FIELDS = "{r}.status, {r}.team_id, {r}.postmortem_id, {r}.factor_id, {r}.due_date, {r}.kind"
_CHANGED = (
    f"({_ITEM_FIELDS.format(r='o')}) IS DISTINCT FROM ({_ITEM_FIELDS.format(r='n')})"
)


def _link_rows(sign, link_rows):
    return (
        f"SELECT {_change(sign, 'i', 'p.restricted')} FROM {link_rows} ft "
        f"JOIN {ITEMS} i ON i.factor_id = ft.contributingfactor_id "
        f"JOIN {POSTMORTEMS} p ON p.id = i.postmortem_id "
        f"WHERE i.status IN {OPEN}"
    )


def _postmortem_rows(sign, pm):
    return (
        f"SELECT {_change(sign, 'i', f'{pm}.restricted')} FROM {ITEMS} i "
        f"JOIN {LINKS} ft ON ft.contributingfactor_id = i.factor_id "
        f"WHERE i.postmortem_id = {pm}.id AND i.status IN {OPEN}"
    )


SQL = f"""
CREATE TYPE actions_kaizen_open_change AS (
    sign integer, theme_id bigint, team_id bigint, restricted_postmortem bigint,
    due_date date, kind text
);

-- Adds +1/-1 changes of items to their rows.
CREATE FUNCTION actions_kaizen_open_apply(changes actions_kaizen_open_change[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d date;
BEGIN
    IF coalesce(cardinality(changes), 0) = 0 THEN
        RETURN;
    END IF;
    -- Shared with other writers, exclusive for a rebuild: a rebuild waits for this
    -- transaction, and this one for a rebuild, so no change is counted twice or lost.
    SELECT day INTO d FROM actions_kaizenopenday WHERE id = 1 FOR SHARE;
    INSERT INTO actions_kaizenopenitems AS t
        (theme_id, team_id, restricted_postmortem, open, overdue, prevent)
        SELECT c.theme_id, c.team_id, c.restricted_postmortem, SUM(c.sign),
               coalesce(SUM(c.sign) FILTER (WHERE c.due_date <= d), 0),
               coalesce(SUM(c.sign) FILTER (WHERE c.kind = 'prevent'), 0)
        FROM unnest(changes) c
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
    ON CONFLICT (theme_id, team_id, restricted_postmortem) DO UPDATE SET
        open = t.open + excluded.open,
        overdue = t.overdue + excluded.overdue,
        prevent = t.prevent + excluded.prevent;
    DELETE FROM actions_kaizenopenitems t
        WHERE (t.theme_id, t.team_id, t.restricted_postmortem) IN (
            SELECT c.theme_id, c.team_id, c.restricted_postmortem FROM unnest(changes) c)
        AND t.open = 0 AND t.overdue = 0 AND t.prevent = 0;
END
$$;

CREATE FUNCTION actions_kaizen_open_items_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_open_apply(ARRAY({_rows(1, "new_rows", "n")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_open_items_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_open_apply(ARRAY(
        {_rows(-1, "old_rows", "o")}
          AND EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id AND {_CHANGED})
        UNION ALL
        {_rows(1, "new_rows", "n")}
          AND EXISTS (SELECT 1 FROM old_rows o WHERE o.id = n.id AND {_CHANGED})));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_open_items_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_open_apply(ARRAY({_rows(-1, "old_rows", "o")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_open_links_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_open_apply(ARRAY({_link_rows(1, "new_rows")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_open_links_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_open_apply(ARRAY(
        {_link_rows(-1, "old_rows")} UNION ALL {_link_rows(1, "new_rows")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_open_links_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_open_apply(ARRAY({_link_rows(-1, "old_rows")}));
    RETURN NULL;
END
$$;

-- A postmortem made restricted (or not) moves its items between rows; a deleted one takes
-- its items that are still there off (items deleted first were taken off then, and items
-- deleted after it find no postmortem): either way once.
CREATE FUNCTION actions_kaizen_open_postmortem_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.restricted IS NOT DISTINCT FROM NEW.restricted AND OLD.id = NEW.id THEN
            RETURN NULL;
        END IF;
        PERFORM actions_kaizen_open_apply(ARRAY(
            {_postmortem_rows(-1, "OLD")} UNION ALL {_postmortem_rows(1, "NEW")}));
    ELSE
        PERFORM actions_kaizen_open_apply(ARRAY({_postmortem_rows(-1, "OLD")}));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER actions_kaizen_open_items_inserted AFTER INSERT ON {ITEMS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_open_items_inserted();
CREATE TRIGGER actions_kaizen_open_items_updated AFTER UPDATE ON {ITEMS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_open_items_updated();
CREATE TRIGGER actions_kaizen_open_items_deleted AFTER DELETE ON {ITEMS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_open_items_deleted();
CREATE TRIGGER actions_kaizen_open_links_inserted AFTER INSERT ON {LINKS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_open_links_inserted();
CREATE TRIGGER actions_kaizen_open_links_updated AFTER UPDATE ON {LINKS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_open_links_updated();
CREATE TRIGGER actions_kaizen_open_links_deleted AFTER DELETE ON {LINKS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_open_links_deleted();
CREATE TRIGGER actions_kaizen_open_postmortem_changed
    AFTER UPDATE OF restricted, id OR DELETE ON {POSTMORTEMS}
    FOR EACH ROW EXECUTE FUNCTION actions_kaizen_open_postmortem_changed();

-- Every row from the items, ``overdue`` as of p_day (its own statements, after the
-- exclusive lock: they see every change committed before).
CREATE FUNCTION actions_kaizen_open_rebuild(p_day date) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO actions_kaizenopenday (id, day) VALUES (1, NULL) ON CONFLICT (id) DO NOTHING;
    PERFORM 1 FROM actions_kaizenopenday WHERE id = 1 FOR UPDATE;
    DELETE FROM actions_kaizenopenitems;
    INSERT INTO actions_kaizenopenitems
        (theme_id, team_id, restricted_postmortem, open, overdue, prevent)
        SELECT ft.theme_id, i.team_id, CASE WHEN p.restricted THEN p.id ELSE 0 END,
               COUNT(*), COUNT(*) FILTER (WHERE i.due_date <= p_day),
               COUNT(*) FILTER (WHERE i.kind = 'prevent')
        FROM {ITEMS} i
        JOIN {LINKS} ft ON ft.contributingfactor_id = i.factor_id
        JOIN {POSTMORTEMS} p ON p.id = i.postmortem_id
        WHERE i.status IN {OPEN}
        GROUP BY 1, 2, 3;
    UPDATE actions_kaizenopenday SET day = p_day WHERE id = 1;
END
$$;
"""  # noqa: S608 (table names only)


REVERSE = """
DROP TRIGGER IF EXISTS actions_kaizen_open_postmortem_changed ON postmortems_postmortem;
DROP TRIGGER IF EXISTS actions_kaizen_open_links_deleted ON postmortems_contributingfactor_themes;
DROP TRIGGER IF EXISTS actions_kaizen_open_links_updated ON postmortems_contributingfactor_themes;
DROP TRIGGER IF EXISTS actions_kaizen_open_links_inserted ON postmortems_contributingfactor_themes;
DROP TRIGGER IF EXISTS actions_kaizen_open_items_deleted ON actions_actionitem;
DROP TRIGGER IF EXISTS actions_kaizen_open_items_updated ON actions_actionitem;
DROP TRIGGER IF EXISTS actions_kaizen_open_items_inserted ON actions_actionitem;
DROP FUNCTION IF EXISTS actions_kaizen_open_rebuild(date);
DROP FUNCTION IF EXISTS actions_kaizen_open_postmortem_changed();
DROP FUNCTION IF EXISTS actions_kaizen_open_links_deleted();
DROP FUNCTION IF EXISTS actions_kaizen_open_links_updated();
DROP FUNCTION IF EXISTS actions_kaizen_open_links_inserted();
DROP FUNCTION IF EXISTS actions_kaizen_open_items_deleted();
DROP FUNCTION IF EXISTS actions_kaizen_open_items_updated();
DROP FUNCTION IF EXISTS actions_kaizen_open_items_inserted();
DROP FUNCTION IF EXISTS actions_kaizen_open_apply(actions_kaizen_open_change[]);
DROP TYPE IF EXISTS actions_kaizen_open_change;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SQL)
        # Overdue as of today in the server's zone (the Kaizen page's weeks are its).
        today = timezone.localdate(timezone=timezone.get_default_timezone())
        cursor.execute("SELECT actions_kaizen_open_rebuild(%s)", [today])


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0011_kaizen_open_items"),
        ("postmortems", "0015_factor_postmortem_id_index"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
