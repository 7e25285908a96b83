"""The names ``find_blame`` treats as people."""


def normalise_people(people):
    """Lower-cased names and usernames (with and without "@"); a frozenset ``find_blame``
    takes as it is, so callers with a fixed list normalise it once."""
    names = set()
    for person in people:
        if not person:
            continue
        person = str(person).strip()
        for variant in (person, person.lstrip("@")):
            if len(variant) >= 2:
                names.add(variant.lower())
    return frozenset(names)
