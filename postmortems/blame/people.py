"""The names ``find_blame`` treats as people."""

import json
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


def user_names(username: str, first_name: str, last_name: str) -> list[str]:
    """The ways one user may be written: username, first, last and full name (both "given
    family" and "family given", and the Korean "family given" without a space)."""
    names = [username, first_name, last_name]
    if first_name and last_name:
        names += [
            f"{first_name} {last_name}",
            f"{last_name} {first_name}",
            f"{last_name}{first_name}",
        ]
    return names


def encode_person_names(username: str, first_name: str, last_name: str) -> str:
    """One user's normalised names as stored with the user (a JSON array, sorted): the
    lint endpoint joins every user's array and reads them in one ``json.loads``."""
    names = normalise_people(user_names(username, first_name, last_name))
    return json.dumps(sorted(names), ensure_ascii=False, separators=(",", ":"))


def decode_person_names(stored: Iterable[str | None]) -> frozenset[str]:
    """The union of stored arrays (``encode_person_names``), ready for ``find_blame``."""
    inner = ",".join(value[1:-1] for value in stored if value and len(value) > 2)
    return frozenset(json.loads(f"[{inner}]"))
