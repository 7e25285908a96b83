"""English judgement: each cue of ``cues_en`` found in a sentence is weighed in its clause
— who acts (person, role, team, company or system), is it denied, is it explained, is it a
question, is it writing *about* blame — and kept or dropped."""

import re
from functools import cache

from . import words_en as W
from .actors_en import (
    NAME,
    PERSON,
    SYSTEM,
    UNKNOWN,
    actor_after,
    actor_before,
    first_actor,
    is_negation,
    tokenize,
)
from .cues_en import (
    CONDITIONAL,
    HINDSIGHT,
    MODAL,
    NOT_SYSTEM,
    OBJECT,
    OBJECT_PERSON,
    OMISSION,
    OWNER,
    PERSON_ONLY,
    TERM,
    cues,
)
from .finding import Hit
from .memo import per_sentence
from .rules import BLAME_VERB, CARELESSNESS, HINDSIGHT_BIAS, PERSON_AS_CAUSE

_META = re.compile(
    r"\bblameless\b|\bblame[\s-]free\b|\b(?:the|this)\s+(?:word|phrase|term|label|expression)s?\b"
    r"|\b(?:words|phrases|statements?|sentences?|language)\s+(?:like|such\s+as)\b|\bsaying\b"
    r"|\bto\s+say\b|\bcalls?\s+(?:this|it)\b|\bargues?\b|\bwe\s+never\s+want\b"
    r"|\bblaming\s+(?:individuals|people|someone|a\s+person)\b|\btempting\b"
    r"|\binstead\s+of\s+asking\b|\bhindsight\s+(?:makes|bias)\b|\bask\s+(?:what|why|how)\b"
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|would|could|should|knew|saw|took|nobody|anyone|forgot|broke|ran|"
    r"went|made|left|let|got|put|set|sent|kept|gave|wrote|told|shut|hit|cut|lost|missed)\b"
    r"|\w{3,}ed\b"
)
_DENIED_AFTER = re.compile(r"\b(?:none|nothing|nobody|no\s+one)\b")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|un)\b")
_EXPLAINED = re.compile(r"\b(?:because|since|as)\b|[;:—]\s*\S|,\s*(?:so|as)\b")
# "The outage could have been avoided": a verdict whatever the subject.
_AVOIDABLE = frozenset(
    [
        "avoided",
        "prevented",
        "caught",
        "noticed",
        "spotted",
        "detected",
        "found",
        "foreseen",
        "anticipated",
    ]
)
_AUTOMATIC = re.compile(r"\bautomatically\b|\bby\s+itself\b|\bon\s+its\s+own\b")
_CONDITION = re.compile(r"\bif\s+|^\s*had\s+|[,;]\s*had\s+")
_CONDITION_LEAD = re.compile(r"[\s,;:]*(?:if\s+(?:only\s+)?|had\s+)")


def _index_at(tokens, pos):
    for i, token in enumerate(tokens):
        if token.end > pos:
            return i
    return len(tokens) - 1


def _negated_before(tokens, index, pos=None):
    clause = tokens[index].clause
    own = tokens[index]
    if pos is not None and own.start < pos and is_negation(own.low[: pos - own.start]):
        return True  # "nobody's fault": the denial is the word the cue starts in
    for token in reversed(tokens[:index]):
        if token.clause != clause:
            return False
        if is_negation(token.low):
            return True
    return False


def _segment(view, pos):
    """The part of the sentence between semicolons that holds ``pos``."""
    before = view.low.rfind(";", 0, pos)
    after = view.low.find(";", pos)
    return view.low[before + 1 : after if after >= 0 else len(view.low)]


def _no_one_before(tokens, index):
    return index >= 2 and tokens[index - 1].low == "one" and tokens[index - 2].low == "no"


def _is_person(actor):
    return actor.kind in (PERSON, NAME)


class SentenceView:
    """One English sentence: its masked text, tokens and flags, computed once."""

    # One is made per sentence of every text checked: no instance dict.
    __slots__ = ("_meta", "_tokens", "low", "question", "start", "text")

    def __init__(self, text):
        self.text = text
        self.start = 0
        lowered = text.lower()
        if len(lowered) != len(text):
            # A few characters lower-case to two ("İ"); keep them so offsets hold.
            lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        self.low = lowered
        self._tokens = None
        self._meta = None
        self.question = text.rstrip().endswith("?")

    @property
    def tokens(self):
        if self._tokens is None:
            self._tokens = tokenize(self.text)
        return self._tokens

    @property
    def meta(self):
        if self._meta is None:
            self._meta = _META.search(self.low) is not None
        return self._meta


def judge(cue, view, m, people):
    """A ``Hit`` when the cue at match ``m`` (offsets within the sentence) is blame."""
    # The checks that need no tokens first: a question or a sentence about blame is
    # often dropped before it is tokenised at all.
    if view.question and not cue.in_questions:
        return None
    if view.meta and cue.kind != OBJECT_PERSON:
        return None
    tokens = view.tokens
    if not tokens:
        return None
    start, end = view.start + m.start(), view.start + m.end()
    index = _index_at(tokens, start)
    negated = _negated_before(tokens, index, start) or _no_one_before(tokens, index)
    kind = cue.kind
    if kind == TERM:
        if negated:
            return None
        return Hit(start, end, cue.rule, actor_before(tokens, index, people))
    if kind in (NOT_SYSTEM, PERSON_ONLY):
        if negated or (
            index and tokens[index - 1].low in W.DETERMINERS and tokens[index].start == start
        ):
            return None  # denied, or a participle used as an adjective ("a misconfigured record")
        actor = actor_before(tokens, index, people)
        if actor.kind == SYSTEM or (kind == PERSON_ONLY and not _is_person(actor)):
            return None
        return Hit(start, end, cue.rule, actor)
    if kind == OBJECT_PERSON:
        actor = first_actor(tokens, tokens[index].clause, people)
        clause_text = view.low[: m.start()]
        if not _is_person(actor) and not (
            actor.kind == SYSTEM and _PASSIVE.search(clause_text) and cue.rule == CARELESSNESS
        ):
            return None
        if negated:
            return None
        return Hit(start, end, cue.rule, actor)
    if kind == OMISSION:
        actor = actor_before(tokens, index, people)
        if not _is_person(actor):
            return None
        if _EXPLAINED.search(view.low, m.end()):
            return None
        return Hit(start, end, cue.rule, actor)
    if kind == MODAL:
        return _judge_modal(cue, view, m, tokens, index, start, end, people)
    if kind == CONDITIONAL:
        lead = _CONDITION_LEAD.match(m.group())
        first = _index_at(tokens, start + lead.end()) if lead else index + 1
        actor = actor_after(tokens, first - 1, people)
        if not _is_person(actor) or negated:
            return None
        return Hit(start, end, cue.rule, actor)
    if kind == OBJECT:
        if negated:
            return None
        last = _index_at(tokens, end - 1)
        actor = actor_after(tokens, last, people)
        if cue.names_only and actor.kind != NAME:
            return None
        if not _is_person(actor) or (
            tokens[last + 1 : last + 2]
            and tokens[last + 1].low
            in (
                "herself",
                "himself",
                "themselves",
                "myself",
                "ourselves",
            )
        ):
            return None
        rule = PERSON_AS_CAUSE if actor.kind == NAME else cue.rule
        if cue.rule == PERSON_AS_CAUSE and actor.kind == PERSON:
            rule = BLAME_VERB
        return Hit(start, end, rule, actor)
    if kind == OWNER:
        if negated or (index == 0 and tokens[0].start >= start):
            return None
        owner = tokens[index] if tokens[index].start < start else tokens[index - 1]
        owner_index = tokens.index(owner)
        actor = actor_after(tokens, owner_index - 1, people)
        if not _is_person(actor):
            return None
        rule = PERSON_AS_CAUSE if actor.kind == NAME else cue.rule
        return Hit(actor.start, actor.end, rule, actor)
    if kind == HINDSIGHT:
        if negated or not _PAST.search(_segment(view, m.start())):
            return None
        if _DENIED_AFTER.search(view.low, m.end()) and "should" not in view.low:
            return None  # "of course, none of this was visible"
        return Hit(start, end, cue.rule, actor_before(tokens, index, people))
    return None


_BEEN = re.compile(r"\bbeen\b")
_DENIED_MODAL = re.compile(r"\b(?:could|would|might)(?:\s*n[’']t|\s+not|\s+never)\b")


def _judge_modal(cue, view, m, tokens, index, start, end, people):
    phrase = m.group()
    modal = phrase.split()[0].replace("’", "'")
    actor = actor_before(tokens, index, people)
    negated = _negated_before(tokens, index)
    if _BEEN.search(phrase):
        participle = phrase.rsplit(None, 1)[-1]
        if participle in W.HINDSIGHT_ADJECTIVES:
            return Hit(start, end, HINDSIGHT_BIAS, actor)
        if _is_person(actor) and not modal.startswith("should"):
            return None  # "she would have been paged": a person on the receiving end
        if participle not in W.HUMAN_PARTICIPLES or _AUTOMATIC.search(view.low, m.end()):
            return None
        if negated:
            return None
        if (
            modal.startswith(("could", "would", "might"))
            and actor.kind == SYSTEM
            and participle not in _AVOIDABLE
        ):
            return None  # "the page would have been routed": a condition, not a verdict
        return Hit(start, end, cue.rule, actor)
    if actor.kind == SYSTEM or negated:
        return None
    if _DENIED_MODAL.search(phrase):
        return None  # "could not have known": not a judgement
    if phrase.endswith(" used") and not modal.startswith("should"):
        return None  # "we could have used a second responder": a wish, not a verdict
    if modal.startswith(("could", "would", "might")):
        # "We could have rolled back sooner if the deploy tool had …": a condition of the
        # system, which is the blameless way to say it.
        condition = _CONDITION.search(view.low)
        if condition:
            first = _index_at(tokens, view.start + condition.end())
            if not _is_person(actor_after(tokens, first - 1, people)):
                return None
        if actor.kind == UNKNOWN and not condition:
            return None
    return Hit(start, end, cue.rule, actor)


_WORD = re.compile(r"[a-z0-9][a-z0-9’'\-]*")
_JOINERS = re.compile(r"['’\-]")


def _word_set(low):
    words = set(_WORD.findall(low))
    if "'" in low or "’" in low or "-" in low:
        for word in [w for w in words if "'" in w or "’" in w or "-" in w]:
            words.update(_JOINERS.split(word))
    return words


@cache
def _cue_index():
    """The cues, and which of them a sentence's words can start: the cues with no trigger
    words (always tried), the possessive-owner cues, and trigger word → cue positions, so
    a sentence looks up its own words once instead of testing every cue's trigger set."""
    all_cues = cues()
    always, owners, by_word = [], [], {}
    for position, cue in enumerate(all_cues):
        if cue.kind == OWNER:
            owners.append(position)
        elif not cue.triggers:
            always.append(position)
        else:
            for word in cue.triggers:
                by_word.setdefault(word, []).append(position)
    return all_cues, tuple(always), tuple(owners), {w: tuple(p) for w, p in by_word.items()}


@per_sentence()
def find(text, people):
    """Every hit in one English sentence, offsets into ``text``: a tuple, cached per
    sentence like the Korean analysis."""
    view = SentenceView(text)
    hits = []
    all_cues, always, owners, by_word = _cue_index()
    chosen = set(always)
    if "'s" in view.low or "’s" in view.low:
        chosen.update(owners)
    for word in _word_set(view.low):
        positions = by_word.get(word)
        if positions:
            chosen.update(positions)
    # In the cues' own order, as before: the findings' order does not depend on the words.
    for position in sorted(chosen):
        cue = all_cues[position]
        for m in cue.regex.finditer(view.low):
            hit = judge(cue, view, m, people)
            if hit is not None:
                hits.append(hit)
    return tuple(hits)
