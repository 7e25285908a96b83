"""Korean predicates judged by lemma: failures named by the verb (누락하다, 빼먹다,
놓치다 …), duties not done (확인하지 않았다, 발견 못 했다), "잘못"/"엉뚱한" actions, and
counterfactual moods (했어야, 했더라면, 했다면, 했어도) — each with its subject."""

import itertools

from . import words_ko as W
from .actors_en import NAME, PERSON, SYSTEM, Actor
from .actors_ko import object_of
from .cues_ko import (
    _CAUSAL_ENDINGS,
    _COMPLIANCE_OBJECTS,
    _CONCESSIVE_ENDINGS,
    _CONDITIONAL_ENDINGS,
    _REMEDIES,
)
from .finding import Hit
from .morph_ko import eojeol_span, noun_phrase_before
from .nouns_ko import denied_after
from .rules import BLAME_VERB, CARELESSNESS, COUNTERFACTUAL, PERSON_AS_CAUSE

# Verbs that make their object an incident: "장애를 냈다", "오류를 일으켰다".
OUTCOME_VERBS = frozenset(("내다", "일으키다", "유발하다", "유발시키다"))


def word_span(analysis, first, last):
    return eojeol_span(analysis.text, analysis.morphs[first].start, analysis.morphs[last].end)


_IF_ENDINGS = _CONDITIONAL_ENDINGS | _CONCESSIVE_ENDINGS


def _features(analysis, pred):
    # One pass over the chain (a predicate's few endings), read for every predicate.
    chain = analysis.chain(pred)
    morphs = analysis.morphs
    before = morphs[pred.first - 1] if pred.first else None
    after = pred.last + 1 + len(chain)
    rest = morphs[after : after + 6]
    next_form = rest[0].form if rest else None
    negated = before is not None and before.tag == "MAG" and before.form in ("못", "안")
    must = conditional = said_not = also = any_past = False
    last = len(chain) - 1
    for i, m in enumerate(chain):
        form, tag, lemma = m.form, m.tag, m.lemma
        if lemma in ("않다", "못하다") or (tag == "MAG" and form in ("못", "안")):
            negated = True
        if lemma == "말다":
            said_not = True
        if tag == "JX" and form in ("도", "조차"):
            also = True
        if tag != "EP":
            continue
        any_past = True
        if i == last:
            continue
        nxt = chain[i + 1]
        nxt_form, nxt_tag = nxt.form, nxt.tag
        if nxt_tag == "EC" and nxt_form in ("어야", "아야", "여야"):
            must = True
        elif nxt_tag == "EC" and nxt_form in _IF_ENDINGS:
            conditional = nxt_form
        elif nxt_tag == "EF" and nxt_form in ("어", "아") and next_form == "도":
            conditional = "어도"
        elif nxt_tag == "EF" and nxt_form == "다" and next_form == "면":
            conditional = "다면"  # Kiwi reads "했다면" as 했다/EF + 면/NNG
    if any(m.form in ("더라면", "었더라면") for m in chain):
        conditional = "더라면"
    if conditional in ("면", "으면") and not _consequence_follows(analysis, after):
        conditional = False
    unable = False
    if any(m.form == "수" and m.tag == "NNB" for m in rest[:2]):
        unable = any(m.lemma == "없다" for m in rest)
    whole_denied = (
        last >= 0
        and chain[-1].tag == "ETM"
        and next_form in ("것", "게", "거")
        and any(m.tag == "VCN" for m in rest)
    )
    ends_in_if = last >= 0 and chain[-1].tag == "EC" and chain[-1].form in ("면", "으면")
    return {
        "negated": negated and not must,
        "unable": unable,
        "whole_denied": whole_denied,
        "must": must,
        "negative_must": must and said_not,
        "conditional": bool(conditional),
        "without": negated
        and (
            also
            or next_form == "채"
            or (before is not None and before.form in ("도", "조차") and before.tag == "JX")
        ),
        "hypothetical": ends_in_if and not any_past,
        "quoted": before is not None and before.tag == "EC" and before.form in ("다고", "라고"),
    }


def _consequence_follows(analysis, index):
    """A counterfactual condition has its outcome after it: "…을 것이다", "…수 있었다"."""
    rest = analysis.morphs[index:]
    for a, b in itertools.pairwise(rest):
        if a.tag == "EP" and b.tag == "ETM":
            return True
        if a.form == "수" and b.lemma in ("있다", "없다"):
            return True
    return False


def _explained(analysis, pred):
    """An earlier clause gives a reason ("프롬프트가 보여 주지 않아 …")."""
    for i in range(pred.first):
        m = analysis.morphs[i]
        if m.tag == "EC" and m.form in _CAUSAL_ENDINGS and analysis.clauses[i] < pred.clause:
            return True
        if m.form == "때문" and analysis.clauses[i] <= pred.clause:
            return True
    return False


def predicate_hits(analysis, question):
    hits = []
    for pred in analysis.predicates:
        if not _may_hit(analysis, pred):
            continue
        lemma = pred.lemma
        feats = _features(analysis, pred)
        actor, phrase = analysis.actor(pred.first)
        written = phrase is not None
        is_person = actor.kind in (PERSON, NAME)
        thing = written and not is_person
        obj = object_of(analysis.morphs, pred)
        if (
            thing
            and obj in _COMPLIANCE_OBJECTS
            and lemma in ("지키다", "따르다", "어기다", "준수하다")
        ):
            thing = actor.kind == SYSTEM  # "KT가 원칙을 지키지 않았다": only agents keep rules
            is_person = not thing
        if thing and phrase.particle in ("은", "는") and lemma.endswith("하다") and not obj:
            thing = False  # "마이그레이션은 … 실행했어야": a topic that is the object
        if feats["quoted"] or feats["hypothetical"]:
            continue  # "…했다고 보지 않습니다", "응답하지 않으면 호출한다"
        denied = feats["whole_denied"] or feats["unable"]
        # Failures named by the verb itself.
        if lemma in W.FAILURE and not pred.passive:
            nominal = any(m.tag == "ETN" for m in analysis.chain(pred)[:1])
            if not (feats["negated"] or denied or thing or nominal):
                hits.append(Hit(*word_span(analysis, pred.first, pred.last), BLAME_VERB, actor))
            continue
        if lemma in OUTCOME_VERBS and obj in W.BAD_OUTCOMES:
            if not (feats["negated"] or thing):
                hits.append(Hit(*word_span(analysis, pred.first, pred.last), BLAME_VERB, actor))
            continue
        wrong = _wrongly(analysis, pred) if lemma not in _REMEDIES else None
        if wrong is not None and not pred.passive and not thing and not denied:
            hits.append(Hit(*word_span(analysis, wrong, pred.last), BLAME_VERB, actor))
            continue
        # Omissions of a duty.
        duty = lemma in W.DUTY and (lemma != "하다" or obj in W.DUTY_NOUNS)
        duty = duty or (lemma.endswith("하다") and lemma[:-2] in W.DUTY_NOUNS)
        if duty and feats["negated"] and not pred.passive and not thing and not denied:
            if feats["without"]:
                hits.append(Hit(*word_span(analysis, pred.first, pred.last), CARELESSNESS, actor))
            elif not _explained(analysis, pred):
                # The whole omission, "확인하지 않았다", not only the verb.
                last = pred.last + len(analysis.chain(pred))
                last = min(last, len(analysis.morphs) - 1)
                hits.append(Hit(*word_span(analysis, pred.first, last), BLAME_VERB, actor))
            continue
        if lemma == "이다":
            hit = _copula(analysis, pred, feats, question)
            if hit is not None:
                hits.append(hit)
            continue
        # Counterfactuals.
        if question or lemma in ("있다", "없다"):
            continue
        if feats["must"]:
            if thing and not (pred.passive or feats["negative_must"]):
                continue  # "경보는 울렸어야 했지만": what a system was meant to do
            hits.append(
                Hit(
                    *word_span(analysis, pred.first, _must_end(analysis, pred)),
                    COUNTERFACTUAL,
                    actor,
                )
            )
        elif feats["conditional"]:
            if thing or (not written and (pred.passive or lemma in ("되다", "보이다"))):
                continue
            hits.append(Hit(*word_span(analysis, pred.first, pred.last), COUNTERFACTUAL, actor))
    return hits


def _may_hit(analysis, pred):
    """Can ``predicate_hits`` report ``pred``? A failure or incident verb can; so can
    one after 잘못/엉뚱한; a copula only after a person ("엔지니어였다"); a duty verb
    only denied ("확인하지 않았다"); any other only in a counterfactual mood
    (``_features``: a past tense before 어야 or an "if" ending, or 더라면). Most
    predicates of a sentence ("같은", "성공했다", "원인이었다") are none of these, and
    are passed over before their features, subject and object are read."""
    lemma = pred.lemma
    if lemma in W.FAILURE or lemma in OUTCOME_VERBS:
        return True
    if lemma not in _REMEDIES and _wrongly(analysis, pred) is not None:
        return True
    morphs = analysis.morphs
    if lemma == "이다":  # ``_copula``, the only branch a copula reaches
        phrase = noun_phrase_before(morphs, pred.first, analysis.text)
        return phrase is not None and analysis.kind(phrase) in (PERSON, NAME)
    chain = analysis.chain(pred)
    if lemma in W.DUTY or (lemma.endswith("하다") and lemma[:-2] in W.DUTY_NOUNS):
        before = morphs[pred.first - 1] if pred.first else None
        if (before is not None and before.tag == "MAG" and before.form in ("못", "안")) or any(
            m.lemma in ("않다", "못하다") or (m.tag == "MAG" and m.form in ("못", "안"))
            for m in chain
        ):
            return True  # negated, as ``_features`` reads it
    after = pred.last + 1 + len(chain)
    next_form = morphs[after].form if after < len(morphs) else None
    for m, nxt in itertools.pairwise(chain):
        if m.tag != "EP":
            continue
        if nxt.tag == "EC" and nxt.form in _MUST_OR_IF:
            return True  # 었어야, 었으면
        if nxt.tag == "EF" and (nxt.form, next_form) in (("어", "도"), ("아", "도"), ("다", "면")):
            return True  # 었어도 (었어/EF + 도), 었다면 (었다/EF + 면/NNG)
    return any(m.form in ("더라면", "었더라면") for m in chain)


_MUST_OR_IF = frozenset(("어야", "아야", "여야")) | _IF_ENDINGS


def _copula(analysis, pred, feats, question):
    """ "경험 많은 사람이었다면 …" (a person in a counterfactual), "근본 원인은 … 온콜
    엔지니어였다" (a person as the cause)."""
    phrase = noun_phrase_before(analysis.morphs, pred.first, analysis.text)
    if phrase is None:
        return None
    kind = analysis.kind(phrase)
    if kind not in (PERSON, NAME) or feats["negated"]:
        return None
    actor = Actor(kind, phrase.start, phrase.end)
    span = word_span(analysis, pred.first, pred.first)
    if feats["conditional"] and not question:
        return Hit(*span, COUNTERFACTUAL, actor)
    before = analysis.morphs[: pred.first]
    if any(m.form in ("원인", "책임", "탓") for m in before) and not denied_after(
        analysis, pred.first
    ):
        return Hit(*span, PERSON_AS_CAUSE, actor)  # "근본 원인은 … 엔지니어였다"
    return None


def _must_end(analysis, pred):
    i = pred.last
    while i + 1 < len(analysis.morphs) and analysis.clauses[i + 1] == pred.clause:
        i += 1
        if analysis.morphs[i].tag == "EC" and analysis.morphs[i].form in ("어야", "아야", "여야"):
            break
    return i


_WRONG_FORMS = frozenset(("잘못", "엉뚱", "엉뚱하"))


def _wrongly(analysis, pred):
    """Index of "잘못"/"엉뚱한"/"잘못된 X를" before an active predicate, in its clause."""
    if analysis.forms.isdisjoint(_WRONG_FORMS):
        return None  # most sentences: asked once, not once per predicate
    for i in range(pred.first - 1, -1, -1):
        m = analysis.morphs[i]
        if analysis.clauses[i] != pred.clause:
            return None
        if m.form == "잘못" and m.tag == "MAG" and i + 1 == pred.first:
            return i
        if m.form in ("엉뚱", "엉뚱하") or (
            m.form == "잘못"
            and i + 2 < len(analysis.morphs)
            and analysis.morphs[i + 1].form == "되"
            and analysis.morphs[i + 2].tag == "ETM"
        ):
            actor, phrase = analysis.actor(pred.first)
            if phrase is not None and actor.kind in (PERSON, NAME) and phrase.start < m.start:
                return i
            return None
    return None
