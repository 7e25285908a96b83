"""Who a Korean noun phrase is: a named person, a person (role, team, company), or a
system — and the predicates of a sentence with their subject, negation and mood."""

import re
from typing import NamedTuple

from . import words_ko as W
from .actors_en import NAME, PERSON, SYSTEM, UNKNOWN, Actor
from .actors_en import classify as classify_latin
from .morph_ko import NOUN_TAGS, Phrase, clause_ids, morphemes, subjects

_LATIN = re.compile(r"^[A-Za-z@][A-Za-z0-9_.\-]*$")
# A compound that ends in a system word is a system ("결제게이트웨이"): one C-level test.
_SYSTEM_SUFFIXES = tuple(sorted(word for word in W.SYSTEM if len(word) >= 2))


def classify(phrase, people):
    """NAME, PERSON, SYSTEM or UNKNOWN for a noun phrase (without its particle)."""
    words = phrase.text.split()
    if not words:
        return UNKNOWN
    last = words[-1]
    bare = last[:-1] if phrase.honorific and last.endswith(("님", "씨")) else last
    bare = bare[:-1] if bare.endswith("들") and len(bare) > 1 else bare
    joined = "".join(words).lower()
    if phrase.honorific:
        return PERSON if bare in W.PERSON or bare.endswith(W.ROLE_SUFFIXES) else NAME
    if bare.lower() in people or joined in people or " ".join(words).lower() in people:
        return NAME
    if _LATIN.match(bare):
        kind = classify_latin(bare, people)
        if kind != UNKNOWN:
            return kind
        if bare.upper() == bare and len(words) > 1:
            return classify(Phrase(" ".join(words[:-1]), 0, 0, "", False), people)
        return UNKNOWN
    if bare in W.PRONOUNS or bare in W.PERSON:
        return PERSON
    if bare in W.NOT_PERSON or bare in W.SYSTEM:
        return SYSTEM
    if len(bare) >= 2 and bare.endswith(W.ROLE_SUFFIXES):
        return PERSON
    if bare.endswith(_SYSTEM_SUFFIXES):
        return SYSTEM
    return UNKNOWN


class Predicate(NamedTuple):
    lemma: str
    first: int  # morpheme indices of the stem
    last: int
    passive: bool
    clause: int


_PASSIVE_SUFFIXES = frozenset(("되", "당하", "받", "되어지"))
_PREDICATE_TAGS = frozenset(("VV", "VA", "XSV", "XSA", "VCP", "VX"))


def predicates(morphs, sentence, clauses):
    """The predicates of a sentence: verbs and adjectives, and noun + 하다/되다."""
    found = []
    for i, m in enumerate(morphs):
        if m.tag not in _PREDICATE_TAGS:
            continue  # most morphemes: nouns, particles, endings
        if m.tag in ("VV", "VA"):
            found.append(Predicate(m.lemma, i, i, m.lemma.endswith(("되다", "지다")), clauses[i]))
        elif m.tag in ("XSV", "XSA") and i:
            j = i - 1
            if morphs[j].tag == "MAG" and morphs[j].form in ("못", "안") and j:
                j -= 1  # "발견 못 했다"
            k = j
            while k > 0 and morphs[k - 1].tag in NOUN_TAGS and morphs[k - 1].end == morphs[k].start:
                k -= 1
            if morphs[j].tag in NOUN_TAGS or morphs[j].tag in ("MAG", "XR"):
                stem = sentence[morphs[k].start : morphs[j].end]
                lemma = stem + ("되다" if m.form == "되" else m.form + "다")
                found.append(Predicate(lemma, k, i, m.form in _PASSIVE_SUFFIXES, clauses[i]))
        elif m.tag == "VCP" and i:
            found.append(Predicate("이다", i, i, False, clauses[i]))
        elif (
            m.tag == "VX"
            and m.lemma == "하다"
            and i >= 3
            and morphs[i - 1].tag == "JX"
            and morphs[i - 2].tag == "ETN"
        ):
            # "기다리기만 했더라면": the mood is on 하다, the action is the verb before.
            verb = morphs[i - 3]
            lemma = verb.lemma if verb.tag in ("VV", "VA") else verb.form + "하다"
            found.append(Predicate(lemma, i - 3, i, False, clauses[i]))
    return found


def object_of(morphs, pred):
    """The noun before the object particle of ``pred`` in its clause ("에스컬레이션을 하지")."""
    j = pred.first - 1
    while j > 0 and (morphs[j].tag == "JX" or morphs[j].form in ("안", "못")):
        j -= 1  # "확인조차 하지", "조사도 하지", "검증을 안 하고"
    if j >= 0 and morphs[j].tag == "JKO" and j and morphs[j - 1].tag in NOUN_TAGS:
        return morphs[j - 1].form
    if j >= 0 and morphs[j].tag in NOUN_TAGS:
        return morphs[j].form
    return ""


class Analysis:
    """One Korean sentence, analysed once: morphemes, clauses, subjects, predicates."""

    def __init__(self, sentence, people):
        self.text = sentence
        self.people = people
        self.morphs = morphemes(sentence)
        # Which words a rule looks for are there at all, asked once per sentence.
        self.forms = frozenset([m.form for m in self.morphs])
        self.clauses = clause_ids(self.morphs)
        self.subjects = sorted(subjects(self.morphs, sentence) + self._glued_subjects())
        self.predicates = predicates(self.morphs, sentence, self.clauses)
        self._kinds = {}
        self._chains = {}

    def _glued_subjects(self):
        """Nouns Kiwi read together with their particle ("프록시가/NNG")."""
        found = []
        for i, m in enumerate(self.morphs):
            if m.tag in ("NNG", "NNP") and len(m.form) > 2 and m.form[-1] in "가이은는":
                stem = m.form[:-1]
                if stem in W.SYSTEM or stem in W.PERSON:
                    found.append((i, Phrase(stem, m.start, m.end - 1, m.form[-1], False)))
        return found

    def chain(self, pred):
        """The endings and auxiliaries of ``pred`` ("지 않았어야 했다"), up to the next
        predicate, a noun-modifying or nominal ending, or the end of the clause (read once
        per predicate: the rules ask for it several times)."""
        found = self._chains.get(pred)
        if found is None:
            found = self._chains[pred] = tuple(self._chain(pred))
        return found

    def _chain(self, pred):
        out = []
        for i in range(pred.last + 1, len(self.morphs)):
            m = self.morphs[i]
            if self.clauses[i] != pred.clause and not (out and out[-1].tag == "EC"):
                break
            if (
                m.tag in ("VV", "VA", "NNG", "NNP", "SL", "XSV")
                and not (m.tag == "XSV" and out and out[-1].form in ("못", "안"))
                and not (m.tag == "VV" and m.lemma in ("않다", "말다"))
            ):
                break
            out.append(m)
            if m.tag in ("ETM", "ETN", "EF"):
                break
            if m.tag == "EC" and self.clauses[i] != pred.clause:
                break
        return out

    def kind(self, phrase):
        if phrase not in self._kinds:
            self._kinds[phrase] = classify(phrase, self.people)
        return self._kinds[phrase]

    def actor(self, index):
        """The subject of the predicate at morpheme ``index``: the last subject or topic
        before it in its clause, else the last one before it in the sentence (Korean
        carries a subject across joined clauses); Actor(UNKNOWN, -1) when none is written.
        """
        best = None
        best_position = -1
        for position, phrase in self.subjects:
            if position >= index:
                break
            if self._embedded(position, index):
                continue  # "DBA는 [레플리카가 뒤처진] 것을 알았어야": not the subject
            contrastive = (
                best is not None
                and phrase.particle in ("은", "는", "도")
                and best.particle in ("이", "가", "께서")
                and self.clauses[position] == self.clauses[best_position]
            )
            if not contrastive:
                best, best_position = phrase, position
        if best is None:
            return Actor(UNKNOWN), None
        return Actor(self.kind(best), best.start, best.end), best

    def _embedded(self, position, index):
        """Is the subject at ``position`` closed by a noun-modifying ending before
        ``index`` (it belongs to a clause inside the sentence, not to the predicate)?"""
        for i in range(position + 1, index):
            m = self.morphs[i]
            if (
                m.tag == "ETM"
                and i + 1 < index
                and self.morphs[i + 1].form in ("것", "거", "게", "줄")
            ):
                return True
        return False

    def tail(self, pred):
        """The morphemes after the stem, to the end of the predicate's clause."""
        out = []
        for i in range(pred.last + 1, len(self.morphs)):
            if self.clauses[i] != pred.clause:
                break
            out.append(self.morphs[i])
        return out

    def clause_end(self, pred):
        """Index of the first morpheme after the predicate's clause."""
        i = pred.last + 1
        while i < len(self.morphs) and self.clauses[i] == pred.clause:
            i += 1
        return i
