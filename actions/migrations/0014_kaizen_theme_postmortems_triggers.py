"""PostgreSQL keeps ``KaizenThemePostmortem`` in the transaction of every write to a factor's
themes, to a factor and to a postmortem, whatever makes it (services, admin, bulk updates,
raw SQL); then fills it once.

What the rows hold, by definition: for every row of the themes' link table whose factor and
postmortem exist, one factor in the row of (theme, the factor's postmortem), which carries
the postmortem's incident time (``started_at``, else ``created_at``), team and
``restricted``. Each trigger adds what its statement changed with the other tables as they
are, so the rows stay that sum whatever order the writes come in (a link written before its
factor is counted when the factor comes; a factor deleted before its links takes them off
then, and the links deleted after it find no factor).

The SQL is written out here (not generated from the app's code) so that this migration
stays what it was when the app changes; ``actions.kaizen.drilldown`` reads the table and
its tests compare it with the links after random writes. Elsewhere (SQLite) nothing is
installed and the drill-down joins the factors.
"""

from django.db import migrations

ROWS = "actions_kaizenthemepostmortem"
LINKS = "postmortems_contributingfactor_themes"
FACTORS = "postmortems_contributingfactor"
POSTMORTEMS = "postmortems_postmortem"


def _link_rows(sign, links):
    """The changes of the links in ``links`` (a table expression), through their factors."""
    return (
        f"SELECT ROW({sign}, ft.theme_id, f.postmortem_id)::actions_kaizen_theme_pm_change "
        f"FROM {links} ft JOIN {FACTORS} f ON f.id = ft.contributingfactor_id"
    )


def _factor_rows(sign, factors, where=""):
    """The changes of the links of the factors in ``factors`` (aliased ``f``)."""
    return (
        f"SELECT ROW({sign}, ft.theme_id, f.postmortem_id)::actions_kaizen_theme_pm_change "
        f"FROM {factors} f JOIN {LINKS} ft ON ft.contributingfactor_id = f.id {where}"
    )


# A factor whose (id, postmortem) pair is not in the other side of its update moved.
_FACTOR_MOVED = (
    "WHERE NOT EXISTS (SELECT 1 FROM {other} x WHERE x.id = f.id "
    "AND x.postmortem_id = f.postmortem_id)"
)


SQL = f"""
CREATE TYPE actions_kaizen_theme_pm_change AS (
    sign integer, theme_id bigint, postmortem_id bigint
);

-- Adds +1/-1 factors to the rows of (theme, postmortem); a postmortem that does not exist
-- (deleted, or not written yet) has no row.
CREATE FUNCTION actions_kaizen_theme_pm_apply(changes actions_kaizen_theme_pm_change[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(cardinality(changes), 0) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO {ROWS} AS t (theme_id, postmortem_id, at, team_id, restricted, factors)
        SELECT c.theme_id, p.id, coalesce(p.started_at, p.created_at), p.team_id,
               p.restricted, SUM(c.sign)
        FROM unnest(changes) c
        JOIN {POSTMORTEMS} p ON p.id = c.postmortem_id
        GROUP BY c.theme_id, p.id
        ORDER BY 1, 2
    ON CONFLICT (theme_id, postmortem_id) DO UPDATE SET factors = t.factors + excluded.factors;
    DELETE FROM {ROWS} t
        WHERE (t.theme_id, t.postmortem_id) IN (
            SELECT c.theme_id, c.postmortem_id FROM unnest(changes) c)
        AND t.factors <= 0;
END
$$;

CREATE FUNCTION actions_kaizen_theme_pm_links_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_theme_pm_apply(ARRAY({_link_rows(1, "new_rows")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_theme_pm_links_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_theme_pm_apply(ARRAY(
        {_link_rows(-1, "old_rows")} UNION ALL {_link_rows(1, "new_rows")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_theme_pm_links_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_theme_pm_apply(ARRAY({_link_rows(-1, "old_rows")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_theme_pm_factors_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_theme_pm_apply(ARRAY({_factor_rows(1, "new_rows")}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_theme_pm_factors_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_theme_pm_apply(ARRAY(
        {_factor_rows(-1, "old_rows", _FACTOR_MOVED.format(other="new_rows"))}
        UNION ALL
        {_factor_rows(1, "new_rows", _FACTOR_MOVED.format(other="old_rows"))}));
    RETURN NULL;
END
$$;

CREATE FUNCTION actions_kaizen_theme_pm_factors_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_theme_pm_apply(ARRAY({_factor_rows(-1, "old_rows")}));
    RETURN NULL;
END
$$;

-- A postmortem written after its factors (deferred constraints) brings their links.
CREATE FUNCTION actions_kaizen_theme_pm_postmortems_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM actions_kaizen_theme_pm_apply(ARRAY(
        {_factor_rows(1, f"(SELECT f.* FROM new_rows p JOIN {FACTORS} f ON f.postmortem_id = p.id)")}
    ));
    RETURN NULL;
END
$$;

-- A postmortem's rows carry its incident time, team and ``restricted``; a deleted one
-- takes the rows still there with it.
CREATE FUNCTION actions_kaizen_theme_pm_postmortem_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.id, OLD.started_at, OLD.created_at, OLD.team_id, OLD.restricted)
           IS NOT DISTINCT FROM
           (NEW.id, NEW.started_at, NEW.created_at, NEW.team_id, NEW.restricted) THEN
            RETURN NULL;
        END IF;
        UPDATE {ROWS} SET postmortem_id = NEW.id,
                          at = coalesce(NEW.started_at, NEW.created_at),
                          team_id = NEW.team_id,
                          restricted = NEW.restricted
            WHERE postmortem_id = OLD.id;
    ELSE
        DELETE FROM {ROWS} WHERE postmortem_id = OLD.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER actions_kaizen_theme_pm_links_inserted AFTER INSERT ON {LINKS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_theme_pm_links_inserted();
CREATE TRIGGER actions_kaizen_theme_pm_links_updated AFTER UPDATE ON {LINKS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_theme_pm_links_updated();
CREATE TRIGGER actions_kaizen_theme_pm_links_deleted AFTER DELETE ON {LINKS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_theme_pm_links_deleted();
CREATE TRIGGER actions_kaizen_theme_pm_factors_inserted AFTER INSERT ON {FACTORS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_theme_pm_factors_inserted();
CREATE TRIGGER actions_kaizen_theme_pm_factors_updated AFTER UPDATE ON {FACTORS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_theme_pm_factors_updated();
CREATE TRIGGER actions_kaizen_theme_pm_factors_deleted AFTER DELETE ON {FACTORS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_theme_pm_factors_deleted();
CREATE TRIGGER actions_kaizen_theme_pm_postmortems_inserted AFTER INSERT ON {POSTMORTEMS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION actions_kaizen_theme_pm_postmortems_inserted();
CREATE TRIGGER actions_kaizen_theme_pm_postmortem_changed
    AFTER UPDATE OF id, started_at, created_at, team_id, restricted OR DELETE ON {POSTMORTEMS}
    FOR EACH ROW EXECUTE FUNCTION actions_kaizen_theme_pm_postmortem_changed();

-- Every row from the links (a repair; the migration fills the table with it).
CREATE FUNCTION actions_kaizen_theme_pm_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE {ROWS} IN EXCLUSIVE MODE;
    DELETE FROM {ROWS};
    INSERT INTO {ROWS} (theme_id, postmortem_id, at, team_id, restricted, factors)
        SELECT ft.theme_id, p.id, coalesce(p.started_at, p.created_at), p.team_id,
               p.restricted, COUNT(*)
        FROM {LINKS} ft
        JOIN {FACTORS} f ON f.id = ft.contributingfactor_id
        JOIN {POSTMORTEMS} p ON p.id = f.postmortem_id
        GROUP BY ft.theme_id, p.id;
END
$$;
"""  # noqa: S608 (table names only)


REVERSE = """
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_postmortem_changed ON postmortems_postmortem;
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_postmortems_inserted ON postmortems_postmortem;
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_factors_deleted ON postmortems_contributingfactor;
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_factors_updated ON postmortems_contributingfactor;
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_factors_inserted ON postmortems_contributingfactor;
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_links_deleted
    ON postmortems_contributingfactor_themes;
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_links_updated
    ON postmortems_contributingfactor_themes;
DROP TRIGGER IF EXISTS actions_kaizen_theme_pm_links_inserted
    ON postmortems_contributingfactor_themes;
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_rebuild();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_postmortem_changed();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_postmortems_inserted();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_factors_deleted();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_factors_updated();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_factors_inserted();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_links_deleted();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_links_updated();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_links_inserted();
DROP FUNCTION IF EXISTS actions_kaizen_theme_pm_apply(actions_kaizen_theme_pm_change[]);
DROP TYPE IF EXISTS actions_kaizen_theme_pm_change;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(SQL)
        cursor.execute("SELECT actions_kaizen_theme_pm_rebuild()")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0013_kaizen_theme_postmortems"),
        ("postmortems", "0015_factor_postmortem_id_index"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
