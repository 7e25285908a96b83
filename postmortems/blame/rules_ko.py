"""Korean rules: a cheap test for cue stems, then the sentence through Kiwi, and each cue
judged in its clause by lemma — so every conjugation of a listed verb is one entry —
with its subject (person, role, team, company or system), negation (plain and polite:
않았다, 않습니다, 못했다, 아니다, 아닙니다), and mood (했어야, 했더라면, 했으면, 했어도).

A Korean subject is often not written: "확인하지 않았다" blames whoever was meant to
check. An unwritten subject counts as a person for verbs only people do; a subject that
is written and is not a person, role, team or company is a system.
"""

from . import triggers_ko
from .actors_en import NAME, PERSON, SYSTEM, UNKNOWN, Actor
from .actors_ko import Analysis
from .cues_ko import (
    _CARELESS,
    _CAUSAL_ENDINGS,
    _FAILURE_PHRASES,
    _HINDSIGHT,
    _HUMAN_ERROR,
    _META,
    _OUTCOME,
)
from .finding import Hit
from .memo import each_once, per_sentence
from .morph_ko import read_all
from .nouns_ko import denied_after, noun_hits
from .predicates_ko import predicate_hits
from .rules import BLAME_VERB, CARELESSNESS, HINDSIGHT_BIAS, HUMAN_ERROR, PERSON_AS_CAUSE


@per_sentence()
def find(text, people):
    """Every hit in one Korean sentence, offsets into ``text``: a tuple, cached per
    sentence, so re-checking a text while it is typed analyses only what changed."""
    if not _may_fire(text, people):
        return ()
    return _judge(text, people)


def find_each(texts, people):
    """``find`` of each of ``texts`` (the Korean sentences of one text), cached the same
    way. The sentences to analyse are read first, all of them, then judged: reading (our
    own and Kiwi's) and judging each in one run costs less than taking turns sentence by
    sentence, as each then works with its own tables and code still at hand."""
    cached = find.lookup_each(texts, people)
    if None not in cached:
        return cached  # the text checked again as it is typed: every sentence seen
    found, todo = each_once(texts, cached)
    analysed = [text for text in todo if _may_fire(text, people)]
    read_all(analysed)  # cached: Analysis finds them below
    analysed = set(analysed)
    for text in todo:
        found[text] = _judge(text, people) if text in analysed else ()
        find.store(text, people, found[text])
    return [found[text] for text in texts]


def _may_fire(text, people):
    return triggers_ko.could_fire(text, people) and not _META.search(text)


def _judge(text, people):
    analysis = Analysis(text, people)
    question = text.rstrip().endswith("?")
    hits = []
    hits += predicate_hits(analysis, question)
    hits += noun_hits(analysis)
    hits += _phrase_hits(analysis, question)
    return tuple(hits)


def _phrase_hits(analysis, question):
    text = analysis.text
    hits = []
    cues = (
        (_HUMAN_ERROR, HUMAN_ERROR),
        (_CARELESS, CARELESSNESS),
        (_HINDSIGHT, HINDSIGHT_BIAS),
        (_FAILURE_PHRASES, BLAME_VERB),
    )
    if not triggers_ko.may_hold_phrase(text):
        cues = ()  # most sentences: one search settles all four
    for regex, rule in cues:
        for m in triggers_ko.phrase_matches(regex, text):
            if rule == HINDSIGHT_BIAS and question:
                continue
            index = _morph_at(analysis, m.end() - 1)
            if rule != CARELESSNESS and index is not None and denied_after(analysis, index):
                continue
            actor = analysis.actor(index)[0] if index is not None else Actor(UNKNOWN)
            if rule in (CARELESSNESS, BLAME_VERB) and actor.kind == SYSTEM:
                continue
            hits.append(Hit(m.start(), m.end(), rule, actor))
    hits += _caused_by_person(analysis)
    return hits


def _morph_at(analysis, pos):
    for i, m in enumerate(analysis.morphs):
        if m.end > pos:
            return i
    return None


_CAUSES = frozenset(("원인", "책임"))


def _caused_by_person(analysis):
    """A person acting, then an incident: "현우 씨가 주 노드를 재시작하는 바람에 장애가 났다"."""
    hits = []
    morphs = analysis.morphs
    # Where 원인/책임 stand, found once for all predicates: "…의 원인은 X였다".
    causes = (
        [i for i, m in enumerate(morphs) if m.form in _CAUSES]
        if not analysis.forms.isdisjoint(_CAUSES)
        else []
    )
    if not causes and not _OUTCOME.search(analysis.text):
        return hits  # neither a cause named nor an incident: no predicate below can fire
    first_cause = causes[0] if causes else len(morphs)
    last_reason = max((i for i in causes if morphs[i].form == "원인"), default=-1)
    for pred in analysis.predicates:
        if pred.passive:
            continue
        end = analysis.clause_end(pred)
        closing = morphs[end - 1] if end else None
        causal = closing is not None and (
            (closing.tag == "EC" and closing.form in _CAUSAL_ENDINGS | {"해서"})
            or closing.form == "바람"
            or any(m.form == "바람" for m in morphs[pred.last + 1 : end + 2])
        )
        relative_cause = first_cause < pred.first or last_reason >= pred.last
        if (
            not (causal and _OUTCOME.search(analysis.text, morphs[pred.last].end))
            and not relative_cause
        ):
            continue
        actor, phrase = analysis.actor(pred.first)
        if phrase is None or (analysis.clauses[pred.first] != pred.clause and actor.kind != NAME):
            continue
        # A named person, or a role, team or company whose action led to the incident
        # ("CDN 업체가 잘못된 규칙을 배포해 장애가 났다").
        if actor.kind == NAME or (actor.kind == PERSON and causal):
            hits.append(Hit(actor.start, actor.end, PERSON_AS_CAUSE, Actor(UNKNOWN)))
    return hits
