"""The names ``find_blame`` treats as people."""

from collections.abc import Iterable


def normalise_people(people: Iterable[object]) -> frozenset[str]:
    """Lower-cased names and usernames (with and without "@"); a frozenset ``find_blame``
    takes as it is, so callers with a fixed list normalise it once."""
    names: set[str] = set()
    add = names.add
    for person in people:
        if not person:
            continue
        person = str(person).strip()
        if len(person) >= 2:
            add(person.lower())
        # Only a name written with "@" has a second variant (the lint endpoint reads
        # every active user's names, several thousand, on a cold cache).
        if person.startswith("@"):
            bare = person.lstrip("@")
            if len(bare) >= 2:
                add(bare.lower())
    return frozenset(names)
