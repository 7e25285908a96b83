"""Who acts in an English clause: a person (role, team, company), a named person, or a
system — found by walking back from the verb over adverbs and auxiliaries."""

import re
from typing import NamedTuple

from . import words_en as W

PERSON = "person"
NAME = "name"
SYSTEM = "system"
UNKNOWN = "unknown"

_TOKEN = re.compile(r"[@\w](?:[\w'’.\-]*\w)?")
_BREAK_PUNCTUATION = re.compile(r"[,;:()\[\]—–]|\s-\s")
_AUXILIARIES = W._words(
    "was were is are be been being am did does do had has have should could would will can "
    "may might must shall didn't doesn't don't wasn't weren't isn't aren't hadn't hasn't "
    "haven't shouldn't couldn't wouldn't won't can't cannot ought"
)


class Token(NamedTuple):
    word: str
    low: str
    start: int
    end: int
    clause: int
    opener: str  # the word or punctuation that opened the clause ("" for the first)


class Actor(NamedTuple):
    kind: str
    start: int = -1
    end: int = -1


_new_tuple = tuple.__new__


# A token and the gap before it, read in one ``findall`` (no match object per token): a
# gap holds exactly the characters a token cannot start with.
_GAP_AND_TOKEN = re.compile(r"([^@\w]*)([@\w](?:[\w'’.\-]*\w)?)")


def tokenize(text, base=0):
    """Tokens of ``text`` with offsets (plus ``base``) and clause numbers."""
    tokens = []
    clause = 0
    opener = ""
    append = tokens.append
    breaks = W.CLAUSE_BREAKS
    punctuation = _BREAK_PUNCTUATION.search
    position = base
    first = True
    for gap, word in _GAP_AND_TOKEN.findall(text):
        start = position + len(gap)
        end = start + len(word)
        position = end
        low = word.lower()
        if first:
            first = False
        else:
            # Most gaps are one space: only a longer gap can hold punctuation.
            if gap != " " and punctuation(gap):
                clause += 1
                opener = gap.strip()[:1]
            if low in breaks:
                clause += 1
                opener = low
        # The tuple built directly: one token per word, and NamedTuple's own __new__
        # is a Python call per token.
        append(_new_tuple(Token, (word, low, start, end, clause, opener)))
    return tokens


def _bare(low):
    low = low.strip(".'’-")
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    return low


def classify(word, people):
    low = _bare(word.lower())
    if word.startswith("@") and len(word) > 2:
        return NAME
    if low in W.SYSTEM or (low.endswith("s") and low[:-1] in W.SYSTEM):
        return SYSTEM
    if low in W.PERSON or (low.endswith("s") and low[:-1] in W.PERSON):
        return PERSON
    if low in people:
        return NAME
    return UNKNOWN


def is_negation(low):
    return low in W.NEGATIONS or low.endswith(("n't", "n’t")) or low == "cannot"


def _name_span(tokens, index, people):
    """Extend a name back over a first name ("Alex Kim") and drop a possessive "'s"."""
    token = tokens[index]
    start, end = token.start, token.end
    if token.low.endswith(("'s", "’s")):
        end -= 2
    if index > 0 and tokens[index - 1].low in people:
        start = tokens[index - 1].start
    return Actor(NAME, start, end)


def actor_before(tokens, index, people):
    """The subject of the verb at ``tokens[index]``, walking back inside its clause.

    A clause with no subject of its own ("… and forgot to …") borrows the previous clause's.
    """
    clause = tokens[index].clause
    i = index - 1
    while i >= 0 and tokens[i].clause == clause:
        token = tokens[i]
        low = token.low
        if low in W.SKIP or low in _AUXILIARIES or low.endswith(("ly", "n't")) or low == "to":
            i -= 1
            continue
        actor = _judge(tokens, i, people)
        if actor.kind == UNKNOWN:
            head = head_actor(tokens, index, people)
            if head.kind != UNKNOWN:
                return head
        return actor
    if i >= 0 and tokens[i + 1].opener in ("and", "but", "then", "or", ","):
        return first_actor(tokens, tokens[i].clause, people)
    return Actor(UNKNOWN)


def _judge(tokens, i, people):
    token = tokens[i]
    if token.low in ("what", "which"):
        return Actor(SYSTEM, token.start, token.end)  # "what caused the fire"
    if (
        i >= 3
        and tokens[i - 2].low in ("of", "for")
        and tokens[i - 1].low in W.DETERMINERS
        and tokens[i - 3].clause == token.clause
    ):
        return _judge(tokens, i - 3, people)  # "the owner of the service": the owner
    kind = classify(token.word, people)
    if kind == UNKNOWN and i > 0 and f"{tokens[i - 1].low} {token.low}" in people:
        kind = NAME
    if kind == NAME:
        return _name_span(tokens, i, people)
    if i > 0 and tokens[i - 1].clause == token.clause:
        owner = tokens[i - 1]
        if owner.low.endswith(("'s", "’s")) and classify(owner.word, people) == NAME:
            # "Bob's change broke prod": the change acts, Bob is the cause named.
            return _name_span(tokens, i - 1, people)
        if kind == SYSTEM and token.low in W.ROLE_HEADS:
            return Actor(PERSON, token.start, token.end)
    if kind != UNKNOWN:
        return Actor(kind, token.start, token.end)
    before = [t.low for t in tokens[max(0, i - 2) : i] if t.clause == token.clause]
    if any(w in W.DETERMINERS or classify(w, people) == SYSTEM for w in before):
        return Actor(SYSTEM, token.start, token.end)  # "the pooler", "a bad merge"
    return Actor(UNKNOWN, token.start, token.end)


def first_verb(tokens, clause, people):
    """Index of the first auxiliary or verb-looking word of ``clause`` (or None)."""
    for i, token in enumerate(tokens):
        if token.clause != clause:
            continue
        low = token.low
        if low in _AUXILIARIES:
            return i
        if i and tokens[i - 1].clause == clause and classify(token.word, people) == UNKNOWN:
            if low.endswith("ed") and len(low) > 4 and low not in W.DETERMINERS:
                return i
            if low in _COMMON_PAST:
                return i
    return None


_COMMON_PAST = W._words(
    "ran went took made broke forgot left let got put set sent kept gave drove wrote "
    "brought told shut hit cut lost"
)


def first_actor(tokens, clause, people):
    """The subject of ``clause``: the word before its first verb."""
    index = first_verb(tokens, clause, people)
    if index is None:
        # "…, against policy": a clause without a verb belongs to the one before it.
        return first_actor(tokens, clause - 1, people) if clause else Actor(UNKNOWN)
    actor = actor_before(tokens, index, people) if index else Actor(UNKNOWN)
    if actor.kind == UNKNOWN:
        return head_actor(tokens, index, people)
    return actor


def head_actor(tokens, index, people):
    """The first person or system word of the clause before ``index``: "the owner of the
    service", "someone with more experience"."""
    clause = tokens[index].clause
    for i in range(index):
        token = tokens[i]
        if token.clause != clause or token.low in W.DETERMINERS:
            continue
        kind = classify(token.word, people)
        if kind == NAME:
            return _name_span(tokens, i, people)
        if kind != UNKNOWN:
            return Actor(kind, token.start, token.end)
        if token.low in ("of", "with", "on", "from", "in", "at", "for"):
            break
    return Actor(UNKNOWN)


def actor_after(tokens, index, people):
    """What follows ``tokens[index]`` in its clause: "blame [the retry policy]"."""
    clause = tokens[index].clause
    for i in range(index + 1, min(len(tokens), index + 6)):
        token = tokens[i]
        if token.clause != clause:
            break
        if token.low in W.DETERMINERS or token.low in ("it", "on", "for", "of", "with"):
            continue
        kind = classify(token.word, people)
        if kind == UNKNOWN and i + 1 < len(tokens) and tokens[i + 1].clause == clause:
            nxt = classify(tokens[i + 1].word, people)
            if nxt == SYSTEM or f"{token.low} {tokens[i + 1].low}" in people:
                return Actor(nxt if nxt == SYSTEM else NAME, token.start, tokens[i + 1].end)
            continue  # an adjective: "the new engineer"
        if kind == NAME:
            return _name_span(tokens, i, people)
        if kind == SYSTEM and i + 1 < len(tokens) and _bare(tokens[i + 1].low) in W.ROLE_HEADS:
            return Actor(PERSON, token.start, tokens[i + 1].end)  # "the network team"
        return Actor(kind, token.start, token.end)
    return Actor(UNKNOWN)
