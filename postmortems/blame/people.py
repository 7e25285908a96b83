"""The names ``find_blame`` treats as people."""

from collections.abc import Iterable


def normalise_people(people: Iterable[object]) -> frozenset[str]:
    """Lower-cased names and usernames (with and without "@"); a frozenset ``find_blame``
    takes as it is, so callers with a fixed list normalise it once."""
    names: set[str] = set()
    for person in people:
        if not person:
            continue
        person = str(person).strip()
        for variant in (person, person.lstrip("@")):
            if len(variant) >= 2:
                names.add(variant.lower())
    return frozenset(names)
