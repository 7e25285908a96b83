"""Korean morphology through Kiwi (kiwipiepy): morphemes with tags and lemmas, clauses,
and the noun phrase each clause has as its subject.

Kiwi's model ships as a package (``kiwipiepy_model``), so nothing is downloaded at run
time. It is loaded once per process, on the first Korean sentence that needs it (about a
second and ~300 MB), and each sentence's analysis is cached, so the live hints re-check a
growing text without analysing the unchanged sentences again.
"""

import threading
from functools import lru_cache
from typing import NamedTuple

from .memo import each_once, per_text

_lock = threading.Lock()
_kiwi = None


def analyser():
    """The process's Kiwi, loaded on first use."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                # The typo and multi-word dictionaries cost memory and time and add nothing
                # to finding predicates, particles and endings in edited prose.
                _kiwi = Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)
    return _kiwi


def loaded():
    return _kiwi is not None


class Morph(NamedTuple):
    form: str
    tag: str
    lemma: str
    start: int  # offsets into the analysed sentence
    end: int


# Kiwi's tags with the irregular-conjugation mark dropped ("VV-R" → "VV"), per tag.
_TAGS: dict[str, str] = {}
_new_tuple = tuple.__new__


def _tag(tag):
    short = _TAGS.get(tag)
    if short is None:
        short = _TAGS[tag] = tag.split("-")[0]
    return short


_kiwi_only = False


def force_kiwi(on=True):
    """Send every sentence to Kiwi, the reference (the identity tests compare the two)."""
    global _kiwi_only
    _kiwi_only = on
    clear_caches()


def clear_caches():
    """Forget every sentence and word read."""
    morphemes.cache_clear()
    _kiwi_piece.cache_clear()


@per_text()
def morphemes(sentence):
    """The morphemes of one sentence (cached per sentence text): our own reading when it
    is certain (``eojeol_ko``), with Kiwi reading the words it does not know, else Kiwi's
    reading of the whole sentence."""
    return _read((sentence,))[0]


def read_all(sentences):
    """``morphemes`` of each sentence, the ones not cached read together (``_read``)."""
    found, todo = each_once(sentences, morphemes.lookup_each(sentences))
    for sentence, morphs in zip(todo, _read(todo), strict=True):
        found[sentence] = morphs
        morphemes.store(sentence, morphs)
    return [found[sentence] for sentence in sentences]


def _read(sentences):
    """The morphemes of each of ``sentences``. Our own reading goes first for all of them,
    then Kiwi reads the words we do not know and the sentences we cannot read, one call
    after the other, then the pieces are put in place: each runs with its own tables at
    hand instead of taking turns word by word (Kiwi's model is large)."""
    from .eojeol_ko import finish, read_known, read_runs

    known = [None if _kiwi_only else read_known(s, pieces=True) for s in sentences]
    found, pieces = [], []  # per sentence: its morphemes once known; Kiwi's of its runs
    for sentence, read in zip(sentences, known, strict=True):
        runs_read = None if read is None else read_runs(sentence, read, kiwi_piece, kiwi_given)
        pieces.append(runs_read)
        # Refused: read whole now, while Kiwi's tables are still at hand.
        found.append(kiwi_morphemes(sentence) if runs_read is None else None)
    for i, sentence in enumerate(sentences):
        if found[i] is None:
            found[i] = finish(known[i], pieces[i]) or kiwi_morphemes(sentence)
    return found


def kiwi_piece(text, offset):
    """Kiwi's morphemes of a few words of a sentence (``text`` starts at ``offset``)."""
    return [(f, t, lemma, a + offset, b + offset) for f, t, lemma, a, b in _kiwi_piece(text)]


@lru_cache(maxsize=4096)
def _kiwi_piece(text):
    return kiwi_morphemes(text)


def kiwi_given(text, spans, offset):
    """Kiwi's morphemes of a few words of a sentence (``text`` starts at ``offset``) with
    ``spans`` of them given (``pretokenized``: ``eojeol_ko.given_spans``), which Kiwi takes
    as they are, reading the rest around them."""
    kiwi = analyser()
    with _lock:
        try:
            tokens = kiwi.tokenize(text, pretokenized=spans)
        except ValueError:
            # Spans kiwipiepy refuses (a tag it does not know; it also misreads a list of
            # exactly four morphemes, which ``given_spans`` cuts in two): the words are
            # read as if nothing were given.
            tokens = kiwi.tokenize(text)
    return [
        (t.form, _tag(t.tag), t.lemma, t.start + offset, t.start + offset + t.len) for t in tokens
    ]


def kiwi_morphemes(sentence):
    """Kiwi's morphemes of one sentence."""
    kiwi = analyser()
    with _lock:
        tokens = kiwi.tokenize(sentence)
    out = []
    for t in tokens:
        start = t.start
        # The tuple built directly: NamedTuple's own __new__ is a Python call per morpheme.
        out.append(_new_tuple(Morph, (t.form, _tag(t.tag), t.lemma, start, start + t.len)))
    return tuple(out)


NOUN_TAGS = frozenset(("NNG", "NNP", "NNB", "NP", "SL", "SN", "SH", "XSN", "XPN", "NR"))
# Endings that join a verb to the auxiliary after it ("확인하지 않았다", "걸려 있었다"): not
# the end of a clause.
_LINKING = frozenset(("지", "게", "어", "아", "여", "고", "기"))
_AUXILIARY_TAGS = frozenset(("VX",))


def clause_ids(morphs):
    """A clause number for each morpheme: a clause ends at a connective ending (not one
    that links an auxiliary), a final ending, or a comma or semicolon."""
    ids = []
    clause = 0
    last = len(morphs) - 1
    for i, m in enumerate(morphs):
        ids.append(clause)
        tag = m.tag
        if tag == "EC":
            links = False
            if m.form in _LINKING and i < last:
                nxt = morphs[i + 1]
                links = (
                    nxt.tag in _AUXILIARY_TAGS
                    or (nxt.tag == "JX" and nxt.form == "도")
                    or (nxt.tag == "MAG" and nxt.form in ("못", "안"))
                )
            if not links:
                clause += 1
        elif tag in ("EF", "SF") or (tag == "SP" and m.form in (",", ";")):
            clause += 1
    return ids


class Phrase(NamedTuple):
    text: str  # the noun phrase as written, without its particle
    start: int
    end: int
    particle: str
    honorific: bool  # 님, 씨


def noun_phrase_before(morphs, index, sentence):
    """The noun phrase ending just before ``morphs[index]`` (a particle or copula): at most
    four nouns, not across a bound noun such as 중 or 후 ("장애 대응 중 민수님이")."""
    j = index - 1
    honorific = False
    if j < 0:
        return None
    end = morphs[j].end
    while j >= 0 and morphs[j].tag in ("XSN", "NNB") and morphs[j].form in ("님", "씨", "들"):
        honorific = honorific or morphs[j].form in ("님", "씨")
        j -= 1
    start = None
    count = 0
    while j >= 0 and morphs[j].tag in NOUN_TAGS and count < 4:
        if start is not None and morphs[j].end < start - 1:
            break  # a gap of more than one space: another phrase
        if start is not None and morphs[j].tag == "NNB":
            break  # "대응 중", "배포 후": a bound noun ends the phrase before it
        if honorific and start is not None and morphs[j].end < start:
            break  # a name is the word before its honorific: "민수님", "현우 씨"
        start = morphs[j].start
        count += 1
        j -= 1
    if start is None:
        return None
    particle = morphs[index].form if index < len(morphs) else ""
    return Phrase(sentence[start:end], start, end, particle, honorific)


SUBJECT_PARTICLES = frozenset(("이", "가", "께서", "은", "는", "께서는", "도"))


def subjects(morphs, sentence):
    """(morpheme index, Phrase) of every noun phrase marked as a subject or topic."""
    found = []
    for i, m in enumerate(morphs):
        if m.tag == "JKS" or (m.tag == "JX" and m.form in SUBJECT_PARTICLES):
            if i and morphs[i - 1].tag in ("JKB", "JKO", "ETM", "EC", "ETN"):
                continue  # "에는", "하기는": not a subject
            phrase = noun_phrase_before(morphs, i, sentence)
            if phrase is not None:
                found.append((i, phrase))
    return found


def eojeol_span(sentence, start, end):
    """Widen [start, end) to whole space-separated words, without trailing punctuation."""
    while start > 0 and not sentence[start - 1].isspace():
        start -= 1
    while end < len(sentence) and not sentence[end].isspace():
        end += 1
    while end > start and sentence[end - 1] in ".,;:!?)]}’”'\"…":
        end -= 1
    return start, end
