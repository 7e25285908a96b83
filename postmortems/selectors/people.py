"""People, as names: who the blame check treats as a person, and display names by id."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.cache import cache

from ..language import normalise_people

LINT_PEOPLE_CACHE_KEY = "postmortems:lint-people:v1"
LINT_PEOPLE_CACHE_SECONDS = 300
LINT_PEOPLE_LIMIT = 10_000


def _read_people() -> object:
    names: list[str] = []
    rows = (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("pk")
        .values_list("username", "first_name", "last_name")[:LINT_PEOPLE_LIMIT]
    )
    for username, first, last in rows:
        names += [username, first, last]
        if first and last:
            names += [f"{first} {last}", f"{last} {first}", f"{last}{first}"]
    # The blame detector types its own package; its helper is untyped here.
    return normalise_people(names)  # type: ignore[no-untyped-call]


def lint_people() -> object:
    """Names the blame check treats as people: every active user's username, first, last
    and full name (both "given family" and "family given", as Korean names are written).

    Read at most once per cache period per process, never per keystroke; the lint endpoint
    and the publish gate share it. Returned ready for ``language.find_blame(people=...)``.
    """
    return cache.get_or_set(LINT_PEOPLE_CACHE_KEY, _read_people, LINT_PEOPLE_CACHE_SECONDS)


def people_names(user_ids: Iterable[int]) -> dict[int, str]:
    """{user id: display name} for the given ids, in one query."""
    ids = set(user_ids)
    if not ids:
        return {}
    return {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=ids)
    }
