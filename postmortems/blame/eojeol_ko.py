"""Our own analysis of plain Korean sentences: the morphemes the Korean rules read, in
Kiwi's forms and tags, for the sentences it reads with certainty — else None, and the
sentence goes to Kiwi (``morph_ko``), which stays the reference.

A sentence is read word (eojeol) by word. A word is certain when it is one of:

- a closed-class word (못, 안, 다시, 한, 모든 …) or a bound noun standing alone (것, 수, 번);
- a verb of the lexicon below, conjugated: every form is generated from the stem and an
  ending chain (었 + 어야, 었 + 더라면, 지, ᆫ …), with the contractions Korean writes
  (기다리+었 → 기다렸, 보+었 → 봤, 하+었 → 했, 따르+어 → 따라);
- a noun + 하/되 + such an ending chain ("확인하지", "머지되지", "무시했다");
- a noun with its particles ("담당자가", "리전에는", "DB팀을"), where the particle's form
  fits the noun's last syllable (가/를/는/와/로 after a vowel, 이/을/은/과/으로 after a
  consonant), so "평가" is never 평 + 가;
- a bare noun that cannot be a conjugated verb (its last syllable is no ending).

A word we do not know — an unknown verb, a noun ending like a verb ending — is read by
Kiwi on its own (with the unknown words next to it), and the rest of the sentence stays
ours: Kiwi's cost is per character, and most sentences hold one or two such words. A word
Kiwi reads by its context — a one-syllable word, a name by an honorific, a word that holds
a word the rules look for inside a longer compound ("설정변경") — is read by Kiwi with the
two words on each side of it, of which only its own morphemes are kept; the words of ours
among them are given to Kiwi as we read them, all but their nouns, so Kiwi reads only
those nouns and the words it is asked about (its cost is in what it must find, not in what
it is given). Marks Kiwi groups its own way ("...", "?!") and a 하 whose role depends on
what precedes it make the whole sentence go to Kiwi.
``tests`` check on every corpus sentence that the findings are the same as with Kiwi
alone.
"""

import re
from functools import cache
from typing import NamedTuple

from . import cues_ko as C
from . import words_ko as W
from .morph_ko import Morph

_BASE = 0xAC00
_new = tuple.__new__

# What ``_word`` answers for a word whose reading Kiwi settles by its context (not None:
# None is a word we do not know, which Kiwi may read on its own): Kiwi reads it with the
# words around it (``read_known``).
BY_CONTEXT = (("", "", "", 0, 0),)


def _set(text):
    return frozenset(text.split())


# --- jamo arithmetic -----------------------------------------------------------------
_A, _AE, _YA, _EO, _E, _YEO, _O, _WA, _WAE, _OE, _U, _WO, _WI, _EU, _I = (
    0,
    1,
    2,
    4,
    5,
    6,
    8,
    9,
    10,
    11,
    13,
    14,
    16,
    18,
    20,
)
_N, _L, _M, _B, _SS = 4, 8, 16, 17, 20  # final consonants (ᆫ ᆯ ᆷ ᆸ ᆻ)


def _split(syllable):
    code = ord(syllable) - _BASE
    return code // 588, (code // 28) % 21, code % 28


def _join(initial, vowel, final=0):
    return chr(_BASE + initial * 588 + vowel * 28 + final)


def _hangul(char):
    return 0xAC00 <= ord(char) <= 0xD7A3


def _coda(syllable):
    return (ord(syllable) - _BASE) % 28


# A word of Hangul syllables only: one regex call rather than a Python call per letter.
_all_hangul = re.compile("[가-힣]+").fullmatch


def _with_final(syllable, final):
    initial, vowel, _f = _split(syllable)
    return _join(initial, vowel, final)


# --- verbs -----------------------------------------------------------------------------
# Verb and adjective stems read with certainty, with Kiwi's tag. Irregular stems whose
# forms change more than a contraction (ㄷ, ㅂ, ㅅ, ㅎ) are left out: Kiwi reads them; so
# is 빼먹다, which Kiwi reads as 빼어 먹다 before some endings ("빼먹었어야").
_VERBS = {
    "VV": """
        기다리 놓치 잊 잊어버리 빠뜨리 건너뛰 망가뜨리 깨뜨리 헷갈리 어기 지키 따르
        읽 돌리 알리 보 살피 챙기 찾 찾아내 되돌리 고치 막 지우 멈추 울리 알 가 오 받
        부르 물어보 밝히 쓰 끄 켜 열 닫 잡 넣 넘기 내 일으키 놓 맞추 거치 숨기 줄이
        올리 내리 밀리 넘 생기 나오 차 치 나 만들 보이 다루 견디 찍 덮 접 적 잠그 남기
        바꾸 옮기 늘리 미루 지나 버리 걸리 끊기 끝내 맡기 보내 세우 그치 키우 가리
        번지 적히 관하 인하 대하 위하 통하
        """,
    "VA": "많 같 늦 크 느리 빠르 없 적절하",
}
# Words Kiwi reads as an auxiliary after a linking ending ("걸려 있었다", "알려 주지",
# "하지 않았다", "삭제되지 말았어야", "했어야 했다").
_AUXILIARY = {
    "있": "있다",
    "주": "주다",
    "않": "않다",
    "말": "말다",
    "버리": "버리다",
    "두": "두다",
}
_MAY_AUXILIARY = _set("보 가 오 내 놓 두 버리 주 지 대 나 치 쓰")
_NEVER_ALONE = frozenset(("않", "말"))  # only ever auxiliaries

# Ending chains, as Kiwi writes them. "어" stands for 어/아/여 (harmony and contraction
# are applied), "으X" drops 으 after a vowel, "ᆫ/ᆯ/ᆷ/ᆸ" become a final consonant.
_FINAL_ENDINGS = (
    "다",
    "는다",
    "ᆫ다",
    "습니다",
    "ᆸ니다",
    "어요",
    "네요",
    "지요",
)
_LINKING_ENDINGS = (
    ("지", "EC"),
    ("고", "EC"),
    ("게", "EC"),
    ("어", "EC"),
    ("어서", "EC"),
    ("어야", "EC"),
    ("어도", "EC"),
    ("으면", "EC"),
    ("으면서", "EC"),
    ("으니까", "EC"),
    ("도록", "EC"),
    ("지만", "EC"),
    ("는데", "EC"),
    ("는지", "EC"),
    ("다고", "EC"),
    ("다면", "EC"),
    ("더라면", "EC"),
    ("으려고", "EC"),
    ("으려", "EC"),
    ("기", "ETN"),
    ("는", "ETM"),
    ("은", "ETM"),
    ("을", "ETM"),
    ("던", "ETM"),
)
# After the past tense 었.
_AFTER_PAST = (
    ("어야", "EC"),
    ("어도", "EC"),
    ("으면", "EC"),
    ("다면", "EC"),
    ("더라면", "EC"),
    ("다고", "EC"),
    ("지만", "EC"),
    ("는데", "EC"),
    ("는지", "EC"),
    ("고", "EC"),
    ("기", "ETN"),
    ("을", "ETM"),
    ("던", "ETM"),
)
_PAST_FINAL = ("다", "습니다", "어요", "네요")


def _harmony(stem):
    vowel = _split(stem[-1])[1]
    return "아" if vowel in (_A, _O, _YA) else "어"


def _eo_forms(stem):
    """(surface of stem + 어, how many syllables the ending shares with the stem): the
    contracted forms of stem + 어/아/여 ("기다리" → "기다려", "보" → "봐", "하" → "해")."""
    last = stem[-1]
    initial, vowel, final = _split(last)
    head = stem[:-1]
    if last == "하":
        return head + "해"
    if final:
        return stem + _harmony(stem)
    if vowel == _EU:
        # 으 drops; 르 doubles its ㄹ onto the syllable before ("부르" → "불러"), except
        # 따르/치르 which simply drop it ("따라").
        if last == "르" and stem not in ("따르", "치르") and head:
            body = _with_final(head[-1], _L)
            vowel_after = _A if _split(head[-1])[1] in (_A, _O) else _EO
            return head[:-1] + body + _join(5, vowel_after)  # ㄹ + 아/어
        before = _split(head[-1])[1] if head else _EO
        return head + _join(initial, _A if before in (_A, _O) else _EO)
    contracted = {_I: _YEO, _O: _WA, _U: _WO, _OE: _WAE, _A: _A, _EO: _EO, _AE: _AE, _E: _E}
    if vowel not in contracted or (vowel == _I and initial == 11):
        return None  # ㅟ, 이+어 …: written several ways
    return head + _join(initial, contracted[vowel])


def _attach(stem, ending):
    """stem + ending as written, or None when the form is not regular."""
    if ending.startswith("어"):
        eo = _eo_forms(stem)
        if eo is None:
            return None
        return eo + ending[1:]
    final = _coda(stem[-1])
    if ending.startswith("으"):
        if final == _L:  # ㄹ stems: 알면, 알려고
            return stem + ending[1:] if ending[1] in "면려" else None
        return stem + ending if final else stem + ending[1:]
    if ending in ("은", "을"):
        if final == _L:
            return None if ending == "은" else stem  # 알 + ᆯ → 알
        if final:
            return stem + ending
        return stem[:-1] + _with_final(stem[-1], _N if ending == "은" else _L)
    if ending in ("ᆫ다", "ᆸ니다"):
        if final:
            return None
        return stem[:-1] + _with_final(stem[-1], _N if ending == "ᆫ다" else _B) + ending[1:]
    if ending in ("는다", "습니다") and not final:
        return None
    if final == _L and ending[0] in "는니":
        return None  # 아는, 압니다: ㄹ drops
    return stem + ending


def _ending_form(ending, stem):
    """Kiwi's form of an ending after ``stem``: 으X without 으 after a vowel, ᆫ/ᆯ as jamo."""
    final = _coda(stem[-1])
    if ending.startswith("으") and not final:
        return ending[1:]
    if ending.startswith("으") and final == _L:
        return ending[1:]
    if ending == "은" and not final:
        return "ᆫ"
    if ending == "을" and (not final or final == _L):
        return "ᆯ"
    return ending


def _chains():
    """Every ending chain: a tuple of (form, tag) and whether the stem ends the sentence."""
    out = []
    for ending in _FINAL_ENDINGS:
        out.append(((ending, "EF"),))
    for ending, tag in _LINKING_ENDINGS:
        out.append(((ending, tag),))
    for ending, tag in _AFTER_PAST:
        out.append((("었", "EP"), (ending, tag)))
    for ending in _PAST_FINAL:
        out.append((("었", "EP"), (ending, "EF")))
    out.append((("지", "EC"), ("도", "JX")))  # "읽지도 않았다"
    return out


def _conjugate(stem, tag, lemma):
    """{surface: morphemes as (form, tag, lemma, start, end) relative to the word}."""
    table = {}
    for chain in _chains():
        first, first_tag = chain[0]
        if tag == "VA" and first_tag == "ETM" and first in ("는",):
            continue
        if tag == "VA" and first in ("는다", "ᆫ다"):
            continue
        if len(chain) == 2 and first == "지":
            surface = stem + "지도"
            n = len(stem)
            morphs = (
                (stem, tag, lemma, 0, n),
                ("지", "EC", "지", n, n + 1),
                ("도", "JX", "도", n + 1, n + 2),
            )
        elif first == "었":
            eo = _eo_forms(stem)
            if eo is None:
                continue
            past = eo[:-1] + _with_final(eo[-1], _SS)
            ending, ending_tag = chain[1]
            surface = past + ending
            # 었 sits on the stem's last syllable ("기다렸") or after it ("찾았").
            morphs = (
                (stem, tag, lemma, 0, len(stem)),
                ("었", "EP", "었", len(past) - 1, len(past)),
                (ending, ending_tag, ending, len(past), None),
            )
        else:
            surface = _attach(stem, first)
            if surface is None:
                continue
            form = _ending_form(first, stem)
            if form in ("ᆫ", "ᆯ", "ᆫ다", "ᆸ니다") or (form[0] in "ᆫᆯᆷᆸ" and len(surface) == len(stem)):
                start = len(stem) - 1
            elif first.startswith("어") and len(_eo_forms(stem) or "") == len(stem):
                start = len(stem) - 1  # contracted into the stem's last syllable
            else:
                start = len(stem)
            morphs = ((stem, tag, lemma, 0, len(stem)), (form, first_tag, form, start, None))
        fixed = []
        for form, t, lem, start, end in morphs:
            fixed.append((form, t, lem, start, len(surface) if end is None else end))
        if surface in table and table[surface] != tuple(fixed):
            table[surface] = None  # two readings: not certain
        else:
            table[surface] = tuple(fixed)
    return table


# Adjectives whose final ㅂ turns into 우 before a vowel (ㅂ-irregular: 어렵 → 어려워,
# 어려운, 어려우면): common ones of the grammar, not of the corpora. 돕다 and 곱다, which
# take 와, are left to Kiwi.
_B_IRREGULAR = _set(
    """
    어렵 쉽 가깝 무섭 귀엽 춥 덥 반갑 고맙 즐겁 가볍 무겁 아깝 두렵 부드럽 안타깝 더럽
    시끄럽 아름답 뜨겁 차갑 어둡 가렵 그립 싱겁 놀랍
    """
)
# Forms Kiwi reads another way by context: 어/어야 as 어 + 야 or a final 어, 으니까 as a
# final ending, 으려 as the noun 우려 ("차가우려"), 었 + 는데 as 는 + 데, 더라면 without
# 었 as 더 + 라면. (The -롭 adjectives are left out: Kiwi splits some into a root and 롭.)
_B_IRREGULAR_SKIP = frozenset(
    ("어", "어야", "으려", "으려고", "으니까", "었는데", "었는지", "더라면", "다면")
)


def _conjugate_b_irregular(stem, tag, lemma):
    """{surface: morphemes} of a ㅂ-irregular stem, as Kiwi writes them: before a consonant
    the stem is regular ("어렵지"); before a vowel ㅂ becomes 우, which the stem's span
    takes and the ending's span shares ("어려운" = 어렵 0-3 + 은 2-3, "어려웠다" = 어렵
    0-3 + 었 2-3 + 다 3-4)."""
    n = len(stem)
    body = stem[:-1] + _with_final(stem[-1], 0)  # 어려
    table = {}
    for chain in _chains():
        first, first_tag = chain[0]
        if first in ("는", "는다", "ᆫ다", "ᆸ니다", "는데", "는지"):
            continue  # verb-only forms
        if first in _B_IRREGULAR_SKIP or "".join(form for form, _tag in chain) in _B_IRREGULAR_SKIP:
            continue
        if first == "었":
            ending, ending_tag = chain[1]
            surface = body + "웠" + ending
            morphs = (
                (stem, tag, lemma, 0, n + 1),
                ("었", "EP", "었", n, n + 1),
                (ending, ending_tag, ending, n + 1, len(surface)),
            )
        elif first.startswith("어"):
            surface = body + "워" + first[1:]
            morphs = ((stem, tag, lemma, 0, n + 1), (first, first_tag, first, n, len(surface)))
        elif first.startswith("으") or first in ("은", "을"):
            surface = body + (
                "운" if first == "은" else "울" if first == "을" else "우" + first[1:]
            )
            morphs = ((stem, tag, lemma, 0, n + 1), (first, first_tag, first, n, len(surface)))
        elif len(chain) == 2:
            continue  # 지도: as for the regular stems, built below
        else:
            surface = stem + first
            morphs = ((stem, tag, lemma, 0, n), (first, first_tag, first, n, len(surface)))
        table[surface] = morphs
    table[stem + "지도"] = (
        (stem, tag, lemma, 0, n),
        ("지", "EC", "지", n, n + 1),
        ("도", "JX", "도", n + 1, n + 2),
    )
    return table


@cache
def _verb_table():
    table = {}

    def add(surface, morphs):
        if surface in table and table[surface] != morphs:
            table[surface] = None
        else:
            table[surface] = morphs

    for tag, stems in _VERBS.items():
        for stem in stems.split():
            for surface, morphs in _conjugate(stem, tag, stem + "다").items():
                add(surface, morphs)
    for stem, lemma in _AUXILIARY.items():
        for surface, morphs in _conjugate(stem, "VX", lemma).items():
            add(surface, morphs)
    for stem in _B_IRREGULAR:
        for surface, morphs in _conjugate_b_irregular(stem, "VA", stem + "다").items():
            add(surface, morphs)
    return table


@cache
def verb_stems():
    """The verb and adjective stems read without Kiwi (built once: nouns are checked
    against them word by word)."""
    return frozenset(stem for stems in _VERBS.values() for stem in stems.split())


def surface(stem, ending):
    """``stem`` with one ending as written: "었" for the past tense stem ("기다렸"), else
    an ending such as "지", "ᆫ" or "어서" — None when the form is not a regular one."""
    if ending == "었":
        eo = _eo_forms(stem)
        return None if eo is None else eo[:-1] + _with_final(eo[-1], _SS)
    return _attach(stem, {"ᆫ": "은", "ᆯ": "을"}.get(ending, ending))


@cache
def _suffix_initials():
    return frozenset(surface[0] for surface in _suffix_table())


@cache
def _suffix_table():
    """Forms of 하/되 after a noun ("확인" + "하지"), as XSV: {surface: morphemes}."""
    table = {}
    for stem in ("하", "되"):
        for surface, morphs in _conjugate(stem, "XSV", stem).items():
            if morphs is not None:
                table[surface] = morphs
    # 되어, 되었다: 되 written out in full, as often as 돼, 됐다.
    for surface, morphs in list(table.items()):
        if surface[0] in "돼됐" and morphs[0][0] == "되":
            full = ("되어" if surface[0] == "돼" else "되었") + surface[1:]
            shifted = [morphs[0]]
            for form, tag, lemma, start, end in morphs[1:]:
                shifted.append((form, tag, lemma, start + 1, end + 1))
            table[full] = tuple(shifted)
    return table


# --- closed classes -----------------------------------------------------------------------
_CLOSED = {}
for _closed_tag, _closed_words in (
    (
        "MAG",
        "못 안 더 다시 바로 그대로 이미 아직 제대로 전혀 왜 또 잘못 그냥 일찍 너무 모두 "
        "미리 먼저 직접 곧 물론 훨씬 스스로 충분히 당연히 끝내 함께 계속 결국 이후 "
        "대충 자주 항상 절대 결코 곧바로 즉시 따로 아마 특히 없이 한꺼번에 단번에 대번에 "
        "및 또는",
    ),
    ("MM", "이 그 한 두 세 네 몇 모든 각 새 첫 어느 그런 이런 어떤 다른"),
    ("NP", "누구 우리 저 저희 아무 그녀 여기 거기 저기 그거 무엇 어디 언제 이것 그것 저것 나 너"),
    ("MAJ", "그래도 그러나 하지만 그리고 그래서 따라서 또한 즉"),
    ("NNB", "것 수 번 분 거 채 중 때문 뻔 줄 데 바람 대로 번째 씨"),
    ("NNG", "후 때"),
):
    for _closed_word in _closed_words.split():
        _CLOSED[_closed_word] = _closed_tag

_PRONOUN_FORMS = frozenset(("제", "내", "네"))
_TIME_WORDS = _set("현재 지금 오늘 어제 내일 최근 매일 평소 요즘 방금 아까")
# Adverbs Kiwi reads before 하/되 ("잘못된", "깜빡했다").
_ADVERBS_BEFORE_HA = frozenset(("잘못", "깜빡", "못"))
# One-syllable nouns Kiwi reads as nouns before a particle ("전에", "후에", "팀이").
_SHORT_NOUNS = frozenset(
    ("전", "후", "때", "팀", "일", "값", "곳", "날", "키", "손", "안", "창", "절", "건")
)
# Counters after a number ("10시", "25분에", "1번").
_COUNTERS = frozenset(("시", "분", "초", "개", "명", "건", "번"))
# Syllables that, followed by 의/도/만, end a noun of their own (회의, 속도, 불만): a
# noun ending in one of them keeps the particle only when the word lists know it.
_BEFORE_UI = frozenset("회논동합결건문정협주유의모심강창민대적신본고예성수질")
_BEFORE_DO = frozenset(
    "속정온한시의제태용빈강각밀과진난척농습감순명채고적지보인전판위경효혈주사수신선권식도"
    "가기나미실양역염완예재조중학해회"
)
_BEFORE_MAN = frozenset("불미기방자교거충비간오천백수억십만이그저지완풍팽태고허하")
# Nouns that take 하 as an adjective (XSA), as Kiwi tags them.
_ADJECTIVE_NOUNS = _set(
    """
    신중 무사 필요 가능 중요 충분 부족 심각 정상 안전 확실 명확 적절 소홀 허술 미흡
    분명 동일 유사 간단 복잡 다양 정확 불가능 불필요 위험 유일 명백 당연 엉뚱 무관
    """
)
# Latin words take a particle whatever their last sound ("DBA가", "hwlee는").
_LATIN_PARTICLES = frozenset(
    ("가", "이", "는", "은", "를", "을", "의", "에", "에서", "에게", "에는", "와", "과")
)
# The copula after a noun that ends in a consonant ("원인이다", "것이었다").
_COPULA = {
    "이다": (("이", "VCP", "이다", 0, 1), ("다", "EF", "다", 1, 2)),
    "이었다": (("이", "VCP", "이다", 0, 1), ("었", "EP", "었", 1, 2), ("다", "EF", "다", 2, 3)),
    "이었고": (("이", "VCP", "이다", 0, 1), ("었", "EP", "었", 1, 2), ("고", "EC", "고", 2, 3)),
    "입니다": (("이", "VCP", "이다", 0, 1), ("ᆸ니다", "EF", "ᆸ니다", 0, 3)),
    "이라고": (("이", "VCP", "이다", 0, 1), ("라고", "EC", "라고", 1, 3)),
    "이라도": (("이", "VCP", "이다", 0, 1), ("라도", "EC", "라도", 1, 3)),
}
# The copula after a noun that ends in a vowel, past tense ("리뷰어였다면").
_COPULA_AFTER_VOWEL = {
    "였" + ending: (
        ("이", "VCP", "이다", 0, 1),
        ("었", "EP", "었", 0, 1),
        (ending, tag, ending, 1, 1 + len(ending)),
    )
    for ending, tag in (("다면", "EC"), ("더라면", "EC"), ("고", "EC"), ("다", "EF"))
}
# 아니다, the negative copula.
_NEGATIVE_COPULA = {
    "아니다": (("아니", "VCN", "아니다", 0, 2), ("다", "EF", "다", 2, 3)),
    "아니라": (("아니", "VCN", "아니다", 0, 2), ("라", "EC", "라", 2, 3)),
    "아니고": (("아니", "VCN", "아니다", 0, 2), ("고", "EC", "고", 2, 3)),
    "아닌": (("아니", "VCN", "아니다", 0, 2), ("ᆫ", "ETM", "ᆫ", 1, 2)),
    "아니었다": (
        ("아니", "VCN", "아니다", 0, 2),
        ("었", "EP", "었", 2, 3),
        ("다", "EF", "다", 3, 4),
    ),
    "아닙니다": (("아니", "VCN", "아니다", 0, 2), ("ᆸ니다", "EF", "ᆸ니다", 1, 4)),
}
# Whole words read one way whatever precedes them.
_FIXED = dict(_NEGATIVE_COPULA)
# 게 = 것 + 이, as in "놓친 게 아니라" (the 이 becomes JKC before 아니다, see _in_context).
_FIXED["게"] = (("것", "NNB", "것", 0, 1), ("이", "JKS", "이", 0, 1))
# A pronoun contracted before 가, as Korean always writes it (나 → 내가, 저 → 제가, 누구 →
# 누가); 네가 (너 or 네) is left to Kiwi.
_FIXED["내가"] = (("나", "NP", "나", 0, 1), ("가", "JKS", "가", 1, 2))
_FIXED["제가"] = (("저", "NP", "저", 0, 1), ("가", "JKS", "가", 1, 2))
_FIXED["누가"] = (("누구", "NP", "누구", 0, 1), ("가", "JKS", "가", 1, 2))
_FIXED["누군가"] = (
    ("누구", "NP", "누구", 0, 2),
    ("이", "VCP", "이다", 1, 2),
    ("ᆫ가", "EC", "ᆫ가", 1, 3),
)
# Copula endings: their morphemes and whether the noun before ends in a consonant.
_COPULA_TAILS = {
    **{tail: (morphs, True) for tail, morphs in _COPULA.items()},
    **{tail: (morphs, False) for tail, morphs in _COPULA_AFTER_VOWEL.items()},
}
_COPULA_LAST = frozenset(tail[-1] for tail in _COPULA_TAILS)
# Bound nouns and nouns Kiwi tags as such, when they carry a particle ("것이", "수는").
_BOUND = frozenset(
    ("것", "수", "거", "채", "번", "분", "중", "때문", "뻔", "줄", "데", "바람", "씨")
)

# Particles with Kiwi's tags; the form must fit the noun's last syllable.
_AFTER_VOWEL = {"가": "JKS", "를": "JKO", "는": "JX", "와": "JKB", "로": "JKB", "로는": "JKB+JX"}
_AFTER_CONSONANT = {
    "이": "JKS",
    "을": "JKO",
    "은": "JX",
    "과": "JKB",
    "으로": "JKB",
    "으로는": "JKB+JX",
}
_ANY = {
    "의": "JKG",
    "에": "JKB",
    "에서": "JKB",
    "에게": "JKB",
    "에는": "JKB+JX",
    "에서는": "JKB+JX",
    "에도": "JKB+JX",
    "에서도": "JKB+JX",
    "에게는": "JKB+JX",
    "도": "JX",
    "만": "JX",
    "조차": "JX",
    "까지": "JX",
    "부터": "JX",
}
_PARTICLE_TAGS = {**_AFTER_VOWEL, **_AFTER_CONSONANT, **_ANY}
# Particles that also end nouns ("속도", "회의", "불만"): certain only after a noun the
# word lists know.
_AMBIGUOUS_PARTICLES = frozenset(("도", "의", "만"))
# Particles that are also verb endings after an unknown verb stem ("하는", "찾은", "적은").
_ENDING_LIKE = frozenset(("는", "은", "을", "도", "만", "고"))


def _split_particle(particle, first_index):
    """Kiwi's morphemes for a particle (two for 에는, 으로는 …)."""
    tag = _PARTICLE_TAGS[particle]
    if "+" not in tag:
        return ((particle, tag, particle, first_index, first_index + len(particle)),)
    first_tag, second_tag = tag.split("+")
    second = particle[-1]
    head = particle[:-1]
    return (
        (head, first_tag, head, first_index, first_index + len(head)),
        (second, second_tag, second, first_index + len(head), first_index + len(particle)),
    )


def _fits(noun, particle):
    if particle in _ANY:
        return True
    last = noun[-1]
    if not _hangul(last):
        return False  # after Latin letters the form depends on how it is read: Kiwi
    final = _coda(last)
    if particle in ("로", "로는"):
        return not final or final == _L
    if particle in _AFTER_VOWEL:
        return not final
    return bool(final)


# Nouns the rules compare a morpheme's form with: a longer word that holds one of them
# may be split by Kiwi ("설정변경" → 설정 + 변경), so such a word is not certain.
_WATCHED = (
    W.CARELESS_NOUNS
    | W.ERROR_NOUNS
    | W.DUTY_NOUNS
    | W.BAD_OUTCOMES
    | C._POSSESSED_ERRORS
    | C._ACTION_NOUNS
    | C._COMPLIANCE_OBJECTS
    | frozenset(("잘못", "탓", "때문", "책임", "원인", "바람", "엉뚱", "주의", "사실", "적"))
)
_WATCHED_INSIDE = re.compile(
    "|".join(sorted((re.escape(w) for w in _WATCHED if len(w) >= 2), key=len, reverse=True))
)
# One-syllable words the rules read ("채", "수", "것") or that Kiwi splits off ("님", "들").
_WATCHED_TAILS = tuple("것거게줄수채씨탓중후전")
# Nouns of incident writing that end like a verb form would (호출, 재시도, 채널): known,
# so they are read as nouns without a particle too.
_DOMAIN_NOUNS = _set(
    """
    자체 지연 아무 호출 재시도 채널 이번 시간 파일 모델 버전 레코드 파티션 커넥션 세션
    토큰 옵션 패턴 플랫폼 스트림 시스템 알림 문제 당시 주말 예전 금요일 월요일 화요일
    수요일 목요일 토요일 일요일 오전 오후 새벽 저녁 점심 단순 전산 정기 원본 사본 고객
    이야기
    """
)
_KNOWN_NOUNS = _WATCHED | W.PERSON | W.SYSTEM | W.NOT_PERSON | _DOMAIN_NOUNS | _ADJECTIVE_NOUNS

# Last syllables that end a conjugated verb: a bare word ending in one is not certain.
_ENDING_SYLLABLES = frozenset(
    "다고지게서면며도요니까기야데자려라죠만가록든나어아여워와해돼봐줘써꺼떠커러라려혀겨쳐켜셔져히"
)


def _bare_noun_certain(word):
    """A word with no particle that cannot be a conjugated verb."""
    if _nominalised(word):
        return False
    if word in _KNOWN_NOUNS:
        return True
    if len(word) < 2 or not _all_hangul(word):
        return False
    last = word[-1]
    if last in _ENDING_SYLLABLES:
        return False
    final = _coda(last)
    # ᆫ ᆯ ᆷ ᆸ ᆻ end verbs (본, 볼, 봄, 봅, 봤): a noun ending in one is read by Kiwi.
    return final not in (_N, _L, _M, _B, _SS)


# 하/되 inside a word, or an honorific or polite ending: a conjugated verb.
_VERB_INSIDE = re.compile(
    r".[하되했됐한된할될함됨합됩해돼]|^[합됩했됐]|시오$|세요$|셨|십|으시|어요$|아요$"
)


def _nominalised(noun):
    """Is ``noun`` a verb of the lexicon made a noun ("알림" = 알리 + ㅁ, "확인하기")? Kiwi
    reads those as the verb, which the rules judge."""
    last = noun[-1]
    if last == "기":
        return noun not in _KNOWN_NOUNS or noun[:-1] in verb_stems()
    if _hangul(last) and _coda(last) == _M:
        open_syllable = _with_final(last, 0)
        # 알림 (알리 + ㅁ), 막힘 (막히 + ㅁ): a stem of the lexicon, or one that ends in a
        # passive or causative suffix.
        return noun[:-1] + open_syllable in verb_stems() or open_syllable in "히리기이키우추"
    return False


def _noun_certain(noun, *, bare=False):
    """May ``noun`` (Hangul, no particle) be one NNG morpheme as Kiwi reads it, for the
    rules? Words the rules look for must stand alone, not inside a compound."""
    if _nominalised(noun):
        return False
    if noun in _KNOWN_NOUNS:
        return True
    if len(noun) < 2 or not _all_hangul(noun):
        return False
    if _VERB_INSIDE.search(noun):
        return False  # "개선하기로", "입력하십시오": a verb, not a noun
    if len(noun) >= 3 and noun[-1] in "님들":
        return _noun_certain(noun[:-1])  # 지영님, 엔지니어들
    if noun.endswith(_WATCHED_TAILS):
        return False
    if _WATCHED_INSIDE.search(noun):
        return False
    # Noun prefixes Kiwi splits off (부주의, 무책임): the rest may be a watched word.
    if noun[0] in "부재무미불비반" and noun[1:] in _WATCHED:
        return False
    return not bare or _bare_noun_certain(noun)


def _noun_morphs(noun, offset):
    """Morphemes of a noun written as one word: Latin letters, then Hangul ("DB팀")."""
    if noun in _CLOSED and _CLOSED[noun] in ("NNB", "NP"):
        tag = _CLOSED[noun]
        return ((noun, tag, noun, offset, offset + len(noun)),)
    if noun.isascii():
        if noun.isdigit():
            return ((noun, "SN", noun, offset, offset + len(noun)),)
        if not noun.isalpha():
            return None
        return ((noun, "SL", noun, offset, offset + len(noun)),)
    if noun[0].isdigit():
        digits = 0
        while noun[digits].isdigit():
            digits += 1
        if noun[digits:] not in _COUNTERS or not noun[:digits].isascii():
            return None
        return (
            (noun[:digits], "SN", noun[:digits], offset, offset + digits),
            (noun[digits:], "NNB", noun[digits:], offset + digits, offset + len(noun)),
        )
    head = 0
    while head < len(noun) and noun[head].isascii() and noun[head].isalpha():
        head += 1
    rest = noun[head:]
    if head:
        if rest not in ("팀",):
            return None
        return (
            (noun[:head], "SL", noun[:head], offset, offset + head),
            (rest, "NNG", rest, offset + head, offset + len(noun)),
        )
    if not _all_hangul(noun):
        return None
    if noun in _BOUND:
        return ((noun, "NNB", noun, offset, offset + len(noun)),)
    if len(noun) >= 3 and noun[-1] in "님들" and noun[-2] not in "님들":
        head = noun[:-1]
        tag = "NNP" if noun[-1] == "님" else "NNG"
        return (
            (head, tag, head, offset, offset + len(head)),
            (noun[-1], "XSN", noun[-1], offset + len(head), offset + len(noun)),
        )
    return ((noun, "NNG", noun, offset, offset + len(noun)),)


def _word(word, offset):
    """Morphemes of one word without its punctuation, or None."""
    tag = _CLOSED.get(word)
    if tag is not None:
        return ((word, tag, word, offset, offset + len(word)),)
    fixed = _FIXED.get(word)
    if fixed is not None:
        return _shifted(fixed, offset)
    if word.isascii():
        if word.isalpha() or word.isdigit():
            return _noun_morphs(word, offset)
        return _hyphenated(word, offset)
    verbs = _verb_table()
    if word in verbs:
        morphs = verbs[word]
        if morphs is None or word in _KNOWN_NOUNS or _particle_of(word, known=True):
            return BY_CONTEXT  # no reading, two readings, or a known noun with a particle
        if morphs[-1][1] == "ETN" or (len(word) == 1 and morphs[-1][1] == "EC"):
            return BY_CONTEXT  # "보기" (an example?), "가", "와": Kiwi decides by context
        return _shifted(morphs, offset)
    if word[0].isdigit() and "%" in word:
        return _percent(word, offset)
    if word[0].isdigit():
        particle = _particle_of(word)
        if particle is not None and particle in _LATIN_PARTICLES | {"만", "도"}:
            return _noun_and_particle(word[: -len(particle)], particle, offset)  # "25분에"
        return _noun_morphs(word, offset)  # "10시"
    if word in _TIME_WORDS:
        return BY_CONTEXT  # bare 현재, 지금: Kiwi reads an adverb or a noun by context
    if word in _KNOWN_NOUNS and _all_hangul(word) and not _nominalised(word):
        if word in _PRONOUN_FORMS:
            return BY_CONTEXT  # 제 (= 저 + 의), 제가: Kiwi reads the pronoun 저
        return _noun_morphs(word, offset)  # "재시도", not 재시 + 도
    if word[-1] in _COPULA_LAST:
        for size in (4, 3, 2):
            copula = _COPULA_TAILS.get(word[-size:])
            if copula is not None and len(word) > size:
                return _copula(word[:-size], copula, offset)
    # Noun + 하/되.
    suffixes = _suffix_table()
    if word in suffixes:
        return _shifted(suffixes[word], offset)  # 했다: by context
    initials = _suffix_initials()
    for cut, char in enumerate(word):
        if cut and char in initials:
            rest = word[cut:]
            if rest in suffixes:
                return _noun_and_suffix(word[:cut], suffixes[rest], offset)
    particle = _particle_of(word)
    if particle is not None:
        return _noun_and_particle(word[: -len(particle)], particle, offset)
    if _noun_certain(word, bare=True):
        return _noun_morphs(word, offset)
    return None


def _percent(word, offset):
    """ "50%였다", "5%를": a number, %, then a particle or the copula as after 퍼센트."""
    number, _sign, rest = word.partition("%")
    if not (number.isdigit() and number.isascii()):
        return None
    cut = offset + len(number)
    head = ((number, "SN", number, offset, cut), ("%", "SW", "%", cut, cut + 1))
    if not rest:
        return head
    if rest in _AFTER_VOWEL or rest in _ANY:
        return head + _split_particle(rest, cut + 1)
    copula = _COPULA_TAILS.get(rest)
    if copula is not None and not copula[1]:
        return head + _shifted(copula[0], cut + 1)
    return None


def _hyphenated(word, offset):
    """ "keep-alive": Latin words joined by one hyphen."""
    head, _sep, tail = word.partition("-")
    if not (head.isalpha() and tail.isalpha() and head.isascii() and tail.isascii()):
        return None
    middle = offset + len(head)
    return (
        (head, "SL", head, offset, middle),
        ("-", "SO", "-", middle, middle + 1),
        (tail, "SL", tail, middle + 1, offset + len(word)),
    )


def _shifted(morphs, offset):
    return tuple([(f, t, lemma, a + offset, b + offset) for f, t, lemma, a, b in morphs])


def _particle_of(word, known=False):
    """The longest particle ``word`` ends with whose form fits the noun before it."""
    for size in (3, 2, 1):
        particle = word[-size:]
        if len(word) > size and particle in _PARTICLE_TAGS:
            noun = word[:-size]
            if known and noun not in _KNOWN_NOUNS:
                continue
            if noun.isascii() or _fits(noun, particle):
                return particle
    return None


def _copula(noun, copula, offset):
    morphs, after_consonant = copula
    if not _hangul(noun[-1]) or bool(_coda(noun[-1])) != after_consonant:
        return None
    if not (noun in _BOUND or noun in _SHORT_NOUNS or _noun_certain(noun)):
        return None
    nouns = _noun_morphs(noun, offset)
    if nouns is None:
        return None
    return nouns + _shifted(morphs, offset + len(noun))


def _noun_and_suffix(noun, suffix, offset):
    cut = len(noun)
    if noun in _ADVERBS_BEFORE_HA:
        return ((noun, "MAG", noun, offset, offset + cut), *_shifted(suffix, offset + cut))
    if noun.isascii() or not _noun_certain(noun):
        return None
    nouns = _noun_morphs(noun, offset)
    if nouns is None:
        return None
    ending = _shifted(suffix, offset + cut)
    if noun in _ADJECTIVE_NOUNS:
        if ending[0][0] != "하" or ending[1][0] == "는":
            return None
        ending = ((*ending[0][:1], "XSA", *ending[0][2:]), *ending[1:])
    return nouns + ending


# A syllable ending in ㅆ (the noun here is Hangul only): one search, not a call per letter.
_PAST_FINAL_IN = re.compile(
    "[" + "".join(chr(code) for code in range(_BASE + _SS, 0xD7A4, 28)) + "]"
).search

# Adverbs made of a stem and 이 ("같이", "많이"): not a noun and 이.
_ADVERBS_IN_I = frozenset(("같이", "많이", "깊이", "높이", "굳이", "곧이", "적이", "없이"))


def _noun_and_particle(noun, particle, offset):
    if particle in ("가", "와") and noun[-1] in "러려":
        return BY_CONTEXT  # "스케줄러가": Kiwi may read 러 + 가다 (go to do)
    if noun.isascii():
        if particle not in _LATIN_PARTICLES:
            return None
        if not noun.isalpha():
            latin = _hyphenated(noun, offset)
            if latin is None:
                return None
            return latin + _split_particle(particle, offset + len(noun))
    elif not _hangul(noun[0]):
        pass  # "DB팀을", "25분에", "1분만": _noun_morphs decides
    elif noun in _ADJECTIVE_NOUNS or noun in _PRONOUN_FORMS:
        return BY_CONTEXT  # "심각도": Kiwi reads the root and a noun; "제가": 저 + 가
    elif noun in _BOUND or noun in _SHORT_NOUNS or noun in _KNOWN_NOUNS:
        pass
    elif not _noun_certain(noun) or _PAST_FINAL_IN(noun):
        return None  # ㅆ ends a past tense, never a noun
    else:
        last = _split(noun[-1])
        if particle in _AMBIGUOUS_PARTICLES:
            before = {"의": _BEFORE_UI, "도": _BEFORE_DO, "만": _BEFORE_MAN}[particle]
            if noun[-1] in before or (particle != "의" and not _bare_noun_certain(noun)):
                return None
        elif particle in ("은", "을"):
            # A verb stem never ends in ㄴ, ㄹ (it drops) or ㅇ: "시간은" is a noun.
            if last[2] not in (_N, _L, 21):
                return None
        elif particle == "는" or noun + particle in _ADVERBS_IN_I:
            return None  # 는 after a word the lists do not know: 만드는, 주는 are verbs
    nouns = _noun_morphs(noun, offset)
    if nouns is None:
        return None
    return nouns + _split_particle(particle, offset + len(noun))


def _shift(m, offset):
    form, tag, lemma, start, end = m
    return (form, tag, lemma, start + offset, end + offset)


_TRAILING = {".": "SF", "?": "SF", "!": "SF", ",": "SP", ";": "SP", ":": "SP"}
_TRAILING_MARKS = "".join(_TRAILING)


_WORDS = re.compile(r"\S+")


def analyse(sentence, read_piece=None, read_given=None):
    """The morphemes of ``sentence`` as Kiwi gives them, or None when not certain.

    With ``read_piece`` (``morph_ko.kiwi_piece``: Kiwi's morphemes of a piece of text at an
    offset), a run of words we do not know is read by Kiwi on its own instead of the whole
    sentence going to it: Kiwi reads a word the same alone as in its sentence unless the
    word's reading depends on its neighbours. Those words — the ones ``_word`` answers
    ``BY_CONTEXT`` for, one-syllable words, names before or with an honorific (님, 씨) —
    are read with the two words on each side of them (``CONTEXT_WORDS``), and so is a run
    that Kiwi, reading it alone, ended like a sentence: by ``read_given``
    (``morph_ko.kiwi_given``), which gives Kiwi our reading of those words but for their
    nouns (``given_spans``).
    """
    read = read_known(sentence, pieces=read_piece is not None)
    if read is None:
        return None
    pieces = read_runs(sentence, read, read_piece, read_given)
    return None if pieces is None else finish(read, pieces)


def read_known(sentence, *, pieces=False):
    """The first half of ``analyse``: the words we know read, and where the runs of words
    we do not know stand (read by ``read_runs``), or None when not certain. With ``pieces``
    False a word we do not know is not certain.

    Each run is a ``Run``: Kiwi reads it alone, or, with ``contextual``, in its context
    (the run with ``CONTEXT_WORDS`` words on each side, ours given), and the run keeps
    Kiwi's morphemes of its own words. A run is read in its context when it holds a word
    Kiwi reads by its context (``BY_CONTEXT``, one syllable, a word with a word the rules
    look for inside, a name before an honorific), or when read alone it ended like a
    sentence (``read_runs``)."""
    out = []
    runs = []
    words = []  # (start, end) of each word: where the contexts start and end
    run_start = run_end = first = -1
    context = False
    for match in _WORDS.finditer(sentence):
        token = match.group()
        position = match.start()
        core = token.rstrip(_TRAILING_MARKS)
        core_end = len(core)
        if core_end < len(token) - 1 or not core:
            return None  # "...", "?!": Kiwi groups these its own way
        if core_end < len(token) and core[-1].isascii():
            return None  # "mona.": Kiwi may keep the stop with a Latin word
        words.append((position, match.end()))
        morphs = _word(core, position)
        if morphs is None or morphs is BY_CONTEXT:
            if not pieces:
                return None
            if run_start < 0:
                run_start, first, context = position, len(words) - 1, False
            context = context or morphs is BY_CONTEXT or len(core) < 2 or not _alone(core)
            run_end = match.end()
            continue
        if run_start >= 0:
            # "박지영 님이": Kiwi reads the name by its context
            context = context or core[0] in _HONORIFICS
            runs.append((len(out), run_start, run_end, first, len(words) - 2, context))
            run_start = -1
        out.extend(morphs)
        if core_end < len(token):
            mark = token[core_end]
            out.append((mark, _TRAILING[mark], mark, position + core_end, position + core_end + 1))
    if run_start >= 0:
        runs.append((len(out), run_start, run_end, first, len(words) - 1, context))
    last = len(words) - 1
    return out, [
        Run(
            index,
            start,
            end,
            words[max(first - CONTEXT_WORDS, 0)][0],
            words[min(final + CONTEXT_WORDS, last)][1],
            context,
        )
        for index, start, end, first, final, context in runs
    ]


class Run(NamedTuple):
    """A run of words we do not know (``read_known``)."""

    at: int  # where its morphemes go among ours
    start: int
    end: int
    context_start: int  # the run with ``CONTEXT_WORDS`` words on each side
    context_end: int
    contextual: bool  # read by Kiwi in its context rather than alone


# The words on each side of a word Kiwi reads by its context that it reads with it. With
# one, the findings on the corpora differ from Kiwi's reading of whole sentences in four
# sentences ("스케줄러가 점검 플래그를 무시했다": 러 + 가다 takes two words to settle);
# with two, in none (with our words given or not).
CONTEXT_WORDS = 2


def run_morphs(sentence, read, run, read_piece, read_given):
    """Kiwi's morphemes of the words of ``run`` (a ``Run`` of ``read``), read with
    ``read_piece`` alone, or with ``read_given`` in its context where our words are given
    (``given_spans``)."""
    if not run.contextual:
        return read_piece(sentence[run.start : run.end], run.start)
    start, end = run.context_start, run.context_end
    spans = given_spans([m for m in read[0] if start <= m[3] < end], start)
    morphs = read_given(sentence[start:end], spans, start)
    return [m for m in morphs if run.start <= m[3] < run.end]


# Tags Kiwi settles by context even in words we read with certainty: nouns (a name is
# NNP, "플래그" is NNP, where our lexicon says NNG), numbers, Latin. Our words are given
# to Kiwi without them: given with them, Kiwi read six corpus texts otherwise than in the
# whole sentence ("이현우 님이": 님 as NNG after a given NNG 이현우; 스케줄러 + 가).
_KIWI_CHOOSES = frozenset(
    ("NNG", "NNP", "NNB", "NP", "NR", "SL", "SN", "SH", "XSN", "XPN", "W_SERIAL")
)


def given_spans(morphs, offset):
    """Kiwi's ``pretokenized`` spans for our morphemes ``morphs`` (offsets into the
    sentence) in a text that starts at ``offset``: each stretch of touching morphemes whose
    tags we settle (not ``_KIWI_CHOOSES``), as ``(start, end, [(form, tag, start, end)])``,
    the morphemes' offsets from the span's start."""
    stretches = []
    for form, tag, _lemma, start, end in morphs:
        if tag in _KIWI_CHOOSES:
            continue
        if stretches and start <= stretches[-1][1]:
            last = stretches[-1]
            last[1] = max(last[1], end)
            last[2].append((form, tag, start, end))
        else:
            stretches.append([start, end, [(form, tag, start, end)]])
    spans = []
    for start, end, tokens in stretches:
        tokens = [(form, tag, a - start, b - start) for form, tag, a, b in tokens]
        spans += _split_four(start - offset, end - offset, tokens)
    return spans


def _split_four(start, end, tokens):
    """kiwipiepy 0.24 takes a list of exactly four morphemes for one malformed morpheme
    ("Unknown tag value"): such a span is given as two, cut where one morpheme ends before
    the next begins (or not given, where none does)."""
    if len(tokens) != 4:
        return [(start, end, tokens)]
    for k in (2, 1, 3):
        cut = tokens[k][2]
        if max(token[3] for token in tokens[:k]) <= cut:
            rest = [(form, tag, a - cut, b - cut) for form, tag, a, b in tokens[k:]]
            return [(start, start + cut, tokens[:k]), (start + cut, end, rest)]
    return []


def read_runs(sentence, read, read_piece, read_given):
    """Kiwi's morphemes of each run of ``read`` (``read_known``'s), or None when the whole
    sentence must go to Kiwi: a run read alone that Kiwi ended like a sentence is read
    again in its context, and refused if it still ends so."""
    pieces = []
    for number, run in enumerate(read[1]):
        piece = run_morphs(sentence, read, run, read_piece, read_given)
        if refuses(read, number, piece):
            if run.contextual:
                return None
            piece = run_morphs(
                sentence, read, run._replace(contextual=True), read_piece, read_given
            )
            if refuses(read, number, piece):
                return None
        pieces.append(piece)
    return pieces


def finish(read, pieces):
    """The second half of ``analyse``: the morphemes of each run of words we do not know
    (``read_runs``) put in place, then the tags Kiwi chooses by context settled (or
    None)."""
    out, runs = read
    for run, piece in zip(reversed(runs), reversed(pieces), strict=True):
        out[run.at : run.at] = piece
    if not out or not _in_context(out):
        return None
    return tuple([_new(Morph, m) for m in out])


def refuses(read, run, piece):
    """Would ``finish`` refuse the sentence of ``read`` for Kiwi's reading of its run of
    unknown words number ``run`` (``piece``: ``run_morphs``)? It would when Kiwi ended the
    run with a final ending (EF: read alone, its last word ended a sentence) and a word of
    ours follows: the test that refuses it in ``_in_context``, whatever comes before."""
    out, runs = read
    index = runs[run].at
    if run + 1 < len(runs) and runs[run + 1].at == index:
        return False  # the next run follows right after it, not a word of ours
    return (
        bool(piece)
        and piece[-1][1] == "EF"
        and index < len(out)
        and out[index][1] not in ("SF", "SP")
    )


# Honorifics after a name: a word with one, or a word before one, is read in its sentence.
_HONORIFICS = frozenset("님씨")


def _alone(word):
    """Whether Kiwi may read an unknown word without its sentence: not when it holds a
    word the rules look for, which Kiwi splits off or not by context ("명령어" alone is one
    noun, "운영자의 명령어 오타" is 명령 + 어 + 오타)."""
    if _HONORIFICS.intersection(word):
        return False
    core = word.rstrip(_TRAILING_MARKS)
    return not (_WATCHED_INSIDE.search(core) or core.endswith(_WATCHED_TAILS))


# The tags whose reading ``_in_context`` settles (the tests of its loop).
_CONTEXT_TAGS = frozenset(("VX", "VV", "VA", "XSV", "NNB", "JKS", "EF"))


def _in_context(morphs):
    """Settle the tags Kiwi chooses by context, or refuse the sentence: an auxiliary after
    a linking ending, a 다 that ends a clause before a comma, a bare 하."""
    for i, m in enumerate(morphs):
        form, tag, lemma, start, end = m
        if tag not in _CONTEXT_TAGS:
            continue  # most morphemes: nouns, particles, endings Kiwi reads alike anywhere
        previous = morphs[i - 1] if i else None
        nxt = morphs[i + 1] if i + 1 < len(morphs) else None
        linked = previous is not None and previous[1] == "EC" and previous[4] < start
        if tag == "VX" and form in _AUXILIARY:
            after_link = (
                previous is not None
                and previous[1] == "EC"
                and previous[0] in ("지", "어", "고", "게")
                and previous[4] < start
            )
            if after_link:
                if form in ("있", "주", "버리", "두", "않", "말"):
                    morphs[i] = (form, "VX", _AUXILIARY[form], start, end)
                else:
                    return False
            elif form in _NEVER_ALONE:
                return False
            else:
                # A verb of its own ("데 있었다"): VV or VA, which the rules read alike.
                morphs[i] = (form, "VA" if form == "있" else "VV", lemma, start, end)
        elif tag in ("VV", "VA") and linked and previous[0] == "어" and form in _MAY_AUXILIARY:
            return False  # "알려 보다", "찾아 내다": Kiwi may read it as an auxiliary
        if tag == "XSV" and form == "하" and start > 0 and previous is not None:
            if previous[4] < start:
                # A 하 written apart: Kiwi's tag depends on what precedes it.
                if previous[1] == "EC" and previous[0] == "어야":
                    morphs[i] = (form, "VX", "하다", start, end)
                elif (
                    previous[1] in ("JKO", "JKB")
                    or (previous[1] == "MAG" and previous[0] in ("못", "안"))
                    or (previous[1] == "JX" and i > 1 and morphs[i - 2][1] != "ETN")
                    or (previous[1] == "EC" and previous[0] == "라도")
                ):
                    # "훈련을 했어야", "번만 했어도", "번이라도 했어야": 하 is the verb;
                    # after 어야, 려고, 게 or 기만 it is Kiwi's auxiliary.
                    morphs[i] = (form, "VV", "하다", start, end)
                else:
                    return False
        elif tag == "XSV" and (previous is None or previous[4] < start):
            return False  # a bare 되/하 word at the start
        if tag == "NNB" and form in ("수", "줄") and (previous is None or previous[1] != "ETM"):
            morphs[i] = (form, "NNG", form, start, end)  # "장애 수": a count, not "할 수"
        if tag == "JKS" and nxt is not None and nxt[1] == "VCN":
            morphs[i] = (form, "JKC", form, start, end)  # "것이 아니다": a complement
        if tag == "EF" and nxt is not None and nxt[1] == "SP":
            morphs[i] = (form, "EC", form, start, end)
        if tag == "EF" and nxt is not None and nxt[1] not in ("SF", "SP"):
            return False  # a sentence-final form inside the sentence: Kiwi reads it its way
    return True
