"""People, as names: who the blame check treats as a person, and display names by id."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model

from ..blame.people import decode_person_names

LINT_PEOPLE_LIMIT = 10_000


def lint_people() -> frozenset[str]:
    """Names the blame check treats as people: every active user's username, first, last
    and full name (both "given family" and "family given", as Korean names are written).

    One query per call, read as stored on each profile (``Profile.person_names``, written
    whenever the user is saved), so a renamed or deactivated user counts at once and
    nothing is normalised per request. Returned ready for ``language.find_blame(people=...)``.
    """
    stored = (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("pk")
        .values_list("profile__person_names", flat=True)[:LINT_PEOPLE_LIMIT]
    )
    return decode_person_names(stored)


def people_names(user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: display name} for the given ids, in one query."""
    ids = set(user_ids)
    if not ids:
        return {}
    return {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=ids)
    }
