"""``find_blame``: mask what is quoted, cut the text into sentences, judge each sentence
with the rules of its language, and return the findings in reading order.

Pure (no database, no settings): the lint endpoint calls it per keystroke, the publish
gate per section, the bench times it. The Korean analyser loads on the first Korean
sentence that contains a cue, once per process.
"""

from collections.abc import Iterable

from . import rules_en, rules_ko
from .actors_en import NAME
from .finding import Finding, make_finding
from .masking import mask
from .people import normalise_people
from .rules import PERSON_AS_CAUSE
from .sentences import split


def find_blame(text: str, *, people: Iterable[str] = ()) -> list[Finding]:
    """Blaming phrases in ``text``, in order: a list of ``Finding``."""
    if not text or not text.strip():
        return []
    people = people if isinstance(people, frozenset) else normalise_people(people)
    # A NUL reads as a space (same length, so offsets still point into ``text``).
    masked = mask(text.replace("\x00", " ") if "\x00" in text else text)
    found = {}

    def add(start, end, rule, korean):
        key = (start, end, rule)
        if key not in found and end > start:
            found[key] = make_finding(text, start, end, rule, korean)

    sentences = split(masked)
    # The Korean sentences are judged together (see ``rules_ko.find_each``).
    korean = iter(rules_ko.find_each([s.text for s in sentences if s.korean], people))
    for sentence in sentences:
        hits = next(korean) if sentence.korean else rules_en.find(sentence.text, people)
        base = sentence.start
        for hit in hits:
            add(base + hit.start, base + hit.end, hit.rule, sentence.korean)
            if hit.actor.kind == NAME:
                add(base + hit.actor.start, base + hit.actor.end, PERSON_AS_CAUSE, sentence.korean)
    return _without_overlaps(sorted(found.values(), key=lambda f: (f.start, f.end, f.rule)))


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """One finding per rule where two cues of it overlap ("failed to" in "failed to page")."""
    kept = []
    last_end: dict[str, int] = {}
    for finding in findings:
        if finding.start < last_end.get(finding.rule, -1):
            continue
        kept.append(finding)
        last_end[finding.rule] = finding.end
    return kept
