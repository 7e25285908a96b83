"""Korean judgement nouns and who they belong to: 실수, 과실, 착오, 부주의, 소홀 …, "X의
잘못", "X 때문에", "X 탓", "책임은 X에 있다", "X의 변경이 … 막았다" — denied or not."""

from . import words_ko as W
from .actors_en import NAME, PERSON, SYSTEM, UNKNOWN, Actor
from .cues_ko import _ACTION_NOUNS, _CAUSE_WORDS, _OUTCOME, _POSSESSED_ERRORS
from .finding import Hit
from .morph_ko import NOUN_TAGS, eojeol_span, noun_phrase_before
from .rules import BLAME_VERB, CARELESSNESS, HUMAN_ERROR, PERSON_AS_CAUSE

# Cause words that say an action fell short rather than caused the incident.
_SHORTFALLS = frozenset(("늦었", "늦어", "부족했", "미흡"))
# Nouns that name a cause or a fault ("X의 잘못", "X 때문에", "X 탓", "책임은 X에 있다").
CAUSE_NOUNS = frozenset(("잘못", "탓", "때문", "책임"))


_JUDGEMENT_NOUNS = (
    W.CARELESS_NOUNS | W.ERROR_NOUNS | _POSSESSED_ERRORS | _ACTION_NOUNS | CAUSE_NOUNS
)


def word_span(analysis, first, last):
    return eojeol_span(analysis.text, analysis.morphs[first].start, analysis.morphs[last].end)


def noun_hits(analysis):
    """Judgement nouns: 실수, 잘못, 과실, 탓, 책임, 때문, 부주의 … with their owner."""
    hits = []
    morphs = analysis.morphs
    for i, m in enumerate(morphs):
        if m.tag not in ("NNG", "NNB", "XR", "NNP", "MAG"):
            continue
        first = i - 1 if i and morphs[i - 1].tag == "XPN" else i
        form = m.form
        if i and morphs[i - 1].tag == "XPN":
            form = morphs[i - 1].form + form  # "부/XPN 주의/NNG"
        if m.tag == "MAG" and form.endswith("히"):
            form = form[:-1]  # "소홀히"
        if form not in _JUDGEMENT_NOUNS:
            continue  # most nouns: one look-up instead of one per list below
        if form in W.CARELESS_NOUNS:
            if not denied_after(analysis, i):
                hits.append(
                    Hit(*word_span(analysis, first, i), CARELESSNESS, _owner(analysis, first))
                )
        elif form in W.ERROR_NOUNS:
            hit = _error_noun(analysis, i)
            if hit is not None:
                hits.append(hit)
        elif form in _POSSESSED_ERRORS and m.tag == "NNG":
            owner = _possessor(analysis, i)
            if owner is not None and owner.kind in (PERSON, NAME) and not denied_after(analysis, i):
                hits.append(Hit(*word_span(analysis, i, i), HUMAN_ERROR, owner))
        elif form in _ACTION_NOUNS and m.tag == "NNG" and _CAUSE_WORDS.search(analysis.text):
            owner = _possessor(analysis, i)
            if owner is not None and owner.kind in (PERSON, NAME) and not denied_after(analysis, i):
                # "보안팀의 방화벽 변경이 … 막았다" names who caused it; "온콜의 대응이
                # 늦었다" judges how someone did their part.
                caused = any(
                    c.group() not in _SHORTFALLS for c in _CAUSE_WORDS.finditer(analysis.text)
                )
                rule = PERSON_AS_CAUSE if caused else BLAME_VERB
                hits.append(Hit(*word_span(analysis, i, i), rule, owner))
        elif form in CAUSE_NOUNS and m.tag in ("NNG", "NNB"):
            hit = _cause_noun(analysis, i)
            if hit is not None:
                hits.append(hit)
    return hits


def denied_after(analysis, index):
    """Is the judgement at ``index`` denied later in its clause ("…의 잘못이 아닙니다"), or
    in the clause that reports it ("부주의하게 행동했다고 보지 않습니다")?"""
    morphs = analysis.morphs
    clause = analysis.clauses[index]
    for i in range(index + 1, len(morphs)):
        m = morphs[i]
        if analysis.clauses[i] != clause:
            previous = morphs[i - 1]
            if not (previous.tag == "EC" and previous.form in ("다고", "라고", "고", "게")):
                return False
            clause = analysis.clauses[i]
        if m.tag == "VCN" or m.lemma in ("않다", "못하다"):
            return True
        if m.lemma == "없다" and m.form != "없이":
            return True
    return False


def _possessor(analysis, index):
    """The possessor of the noun at ``index`` ("작업자의 실수"), or None."""
    morphs = analysis.morphs
    j = index - 1
    while j >= 0 and morphs[j].tag in NOUN_TAGS:
        j -= 1
    if j >= 0 and morphs[j].tag == "JKG":
        phrase = noun_phrase_before(morphs, j, analysis.text)
        if phrase is not None:
            return Actor(analysis.kind(phrase), phrase.start, phrase.end)
    return None


def _owner(analysis, index):
    """The possessor ("작업자의 …"), else the subject, of the noun at ``index``."""
    morphs = analysis.morphs
    j = index - 1
    while j >= 0 and morphs[j].tag in NOUN_TAGS:
        j -= 1
    if j >= 0 and morphs[j].tag == "JKG":
        phrase = noun_phrase_before(morphs, j, analysis.text)
        if phrase is not None:
            return Actor(analysis.kind(phrase), phrase.start, phrase.end)
    if index and morphs[index - 1].tag in NOUN_TAGS:
        phrase = noun_phrase_before(morphs, index, analysis.text)
        if phrase is not None and phrase.end <= morphs[index].start:
            kind = analysis.kind(phrase)
            if kind != UNKNOWN:
                return Actor(kind, phrase.start, phrase.end)
    return analysis.actor(index)[0]


def _error_noun(analysis, i):
    morphs = analysis.morphs
    form = morphs[i].form
    if denied_after(analysis, i):
        return None
    owner = _owner(analysis, i)
    if owner.kind == SYSTEM and owner.start >= 0:
        return None
    nxt = morphs[i + 1] if i + 1 < len(morphs) else None
    if form == "실수":
        by_mistake = nxt is not None and nxt.tag == "JKB" and nxt.form in ("로", "으로")
        was = nxt is not None and nxt.tag == "VCP"
        rest = list(morphs[i + 1 : i + 5])
        did = any(x.lemma == "하다" for x in rest) and any(x.tag == "EP" for x in rest)
        possessed = _possessor(analysis, i)
        if not (by_mistake or was or did or (possessed and possessed.kind in (PERSON, NAME))):
            return None  # "사람은 실수를 한다": about people in general
    if form == "오타" and owner.kind not in (PERSON, NAME):
        return None
    return Hit(*word_span(analysis, i, i), HUMAN_ERROR, owner)


def _cause_noun(analysis, i):
    morphs = analysis.morphs
    if denied_after(analysis, i):
        return None
    form = morphs[i].form
    if form in ("잘못", "책임") and i + 1 < len(morphs) and morphs[i + 1].form in ("은", "는"):
        # "잘못은 전적으로 플랫폼팀에 있다": who the fault lies with comes after.
        for j in range(i + 2, len(morphs) - 1):
            if morphs[j + 1].tag == "JKB" and morphs[j + 1].form in ("에", "에게", "한테"):
                phrase = noun_phrase_before(morphs, j + 1, analysis.text)
                kind = analysis.kind(phrase) if phrase else UNKNOWN
                if kind in (PERSON, NAME):
                    return Hit(
                        *word_span(analysis, i, i),
                        PERSON_AS_CAUSE,
                        Actor(kind, phrase.start, phrase.end),
                    )
                return None
        return None
    owner = _owner(analysis, i)
    if owner.kind not in (PERSON, NAME) or owner.start < 0:
        return None
    if form == "때문" and not _OUTCOME.search(analysis.text, morphs[i].end):
        return None
    rule = PERSON_AS_CAUSE  # "승인한 사람의 잘못이다", "DBA 때문에": a person as the cause
    start, end = (
        (owner.start, morphs[i].end) if form in ("때문", "탓") else word_span(analysis, i, i)
    )
    return Hit(start, end, rule, owner)
