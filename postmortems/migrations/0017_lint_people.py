"""Every active user's names in one row (``LintPeople``), kept by PostgreSQL in the
transaction of every write that changes them, whatever makes it (the profile signal,
admin, bulk updates, raw SQL): the lint endpoint then reads one row instead of joining every
user to their profile on each keystroke.

What the row holds, by definition: the items of ``Profile.person_names`` of the first
10,000 active users by id (``selectors.people.LINT_PEOPLE_LIMIT``), joined with commas in
that order. A trigger rebuilds it whole after a statement that adds or removes users or
profiles, or changes a user's ``is_active`` or a profile's names: a few hundred
microseconds per thousand users, on writes that are rare. The rebuild locks the row first
and reads the users in a statement of its own, so two transactions changing users one
after the other each see the other's committed change, and the last to commit writes
a row that holds both.

The SQL is written out here (not generated from the app's code) so that this migration
stays what it was when the app changes; ``selectors.people.lint_people`` reads the row and
its tests compare it with the live query after random writes. Elsewhere (SQLite) nothing
is installed and the endpoint reads the users.
"""

from django.conf import settings
from django.db import migrations, models

PROFILES = "postmortems_profile"
ROW = "postmortems_lintpeople"


def _updated(table, changed):
    """The function of an update trigger on ``table``: a rebuild when a row came or went or
    ``changed`` holds for one (``o`` the old row, ``n`` the new)."""
    return f"""
CREATE FUNCTION postmortems_lint_people_{table}_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM old_rows o FULL JOIN new_rows n ON n.id = o.id
        WHERE o.id IS NULL OR n.id IS NULL OR {changed}
    ) THEN
        PERFORM postmortems_lint_people_rebuild();
    END IF;
    RETURN NULL;
END
$$;
"""


_USERS_UPDATED = _updated("users", "o.is_active IS DISTINCT FROM n.is_active")
_PROFILES_UPDATED = _updated(
    "profiles",
    "o.user_id IS DISTINCT FROM n.user_id OR o.person_names IS DISTINCT FROM n.person_names",
)


def _sql(users):
    return f"""
CREATE FUNCTION postmortems_lint_people_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {ROW} (id, names) VALUES (1, '') ON CONFLICT (id) DO NOTHING;
    PERFORM 1 FROM {ROW} WHERE id = 1 FOR UPDATE;
    UPDATE {ROW} SET names = coalesce((
        SELECT string_agg(substr(s.names, 2, length(s.names) - 2), ',' ORDER BY s.id)
        FROM (
            SELECT u.id, p.person_names AS names
            FROM {users} u LEFT JOIN {PROFILES} p ON p.user_id = u.id
            WHERE u.is_active
            ORDER BY u.id
            LIMIT 10000
        ) s
        WHERE length(s.names) > 2), '')
    WHERE id = 1;
END
$$;

CREATE FUNCTION postmortems_lint_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM postmortems_lint_people_rebuild();
    RETURN NULL;
END
$$;

-- A login (``last_login``) or a profile's time zone leaves the names as they are.
{_USERS_UPDATED}
{_PROFILES_UPDATED}
CREATE TRIGGER postmortems_lint_people_users_changed
    AFTER INSERT OR DELETE OR TRUNCATE ON {users}
    FOR EACH STATEMENT EXECUTE FUNCTION postmortems_lint_people_changed();
CREATE TRIGGER postmortems_lint_people_users_updated AFTER UPDATE ON {users}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION postmortems_lint_people_users_updated();
CREATE TRIGGER postmortems_lint_people_profiles_changed
    AFTER INSERT OR DELETE OR TRUNCATE ON {PROFILES}
    FOR EACH STATEMENT EXECUTE FUNCTION postmortems_lint_people_changed();
CREATE TRIGGER postmortems_lint_people_profiles_updated AFTER UPDATE ON {PROFILES}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION postmortems_lint_people_profiles_updated();

SELECT postmortems_lint_people_rebuild();
"""  # noqa: S608 (table names only)


def _reverse(users):
    return f"""
DROP TRIGGER IF EXISTS postmortems_lint_people_profiles_updated ON {PROFILES};
DROP TRIGGER IF EXISTS postmortems_lint_people_profiles_changed ON {PROFILES};
DROP TRIGGER IF EXISTS postmortems_lint_people_users_updated ON {users};
DROP TRIGGER IF EXISTS postmortems_lint_people_users_changed ON {users};
DROP FUNCTION IF EXISTS postmortems_lint_people_profiles_updated();
DROP FUNCTION IF EXISTS postmortems_lint_people_users_updated();
DROP FUNCTION IF EXISTS postmortems_lint_people_changed();
DROP FUNCTION IF EXISTS postmortems_lint_people_rebuild();
"""


def _users_table(apps):
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_sql(_users_table(apps)))


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_reverse(_users_table(apps)))


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0016_restricted_index_carries_restricted"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LintPeople",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("names", models.TextField(default="")),
            ],
        ),
        migrations.RunPython(install, uninstall),
    ]
