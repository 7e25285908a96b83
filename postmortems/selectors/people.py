"""People, as names: who the blame check treats as a person, and display names by id."""

import json
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import connection

from ..blame.people import decode_person_names
from ..models import LintPeople

LINT_PEOPLE_LIMIT = 10_000


def lint_people() -> frozenset[str]:
    """Names the blame check treats as people: every active user's username, first, last
    and full name (both "given family" and "family given", as Korean names are written).

    One query per call, read as stored on each profile (``Profile.person_names``, written
    whenever the user is saved), so a renamed or deactivated user counts at once and
    nothing is normalised per request. Returned ready for ``language.find_blame(people=...)``.
    On PostgreSQL the one row ``LintPeople`` holds them all, kept by triggers in the
    transaction of every change (migration 0017).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_STORED_SQL)
            row = cursor.fetchone()
        if row is not None:
            return frozenset(json.loads(f"[{row[0]}]"))
    stored = (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("pk")
        .values_list("profile__person_names", flat=True)[:LINT_PEOPLE_LIMIT]
    )
    return decode_person_names(stored)


# No row (SQLite, or a table emptied by hand) and the users are read instead: an empty
# string is "nobody", a missing row is "not kept here".
_STORED_SQL = f"""
SELECT names FROM {LintPeople._meta.db_table} WHERE id = 1
"""  # noqa: S608 (a table name only)


def people_names(user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: display name} for the given ids, in one query."""
    ids = set(user_ids)
    if not ids:
        return {}
    return {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=ids)
    }
