"""Our own Korean analysis: where it reads a sentence, the findings are Kiwi's findings."""

import ast
import itertools
import re
from pathlib import Path

import pytest

from postmortems.blame import (
    eojeol_ko,
    find_blame,
    mask,
    morph_ko,
    normalise_people,
    predicates_ko,
    rules_ko,
    triggers_ko,
    words_ko,
)
from postmortems.blame.sentences import split
from tests.bench import blame as blame_bench
from tests.bench import blame_eval

PEOPLE = normalise_people(blame_eval.CORPUS_PEOPLE)
TESTS = Path(__file__).parent


def _korean_literals():
    """Every Korean string written in the blame detector's tests."""
    found = []
    for path in [*sorted(TESTS.glob("test_blame_*.py")), TESTS / "test_language.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and any("가" <= c <= "힣" for c in text):
                found.append(text)
    return found


def _korean_texts():
    texts = []
    for split_name in blame_eval.SPLITS:
        path = blame_eval.split_path("ko", split_name)
        texts += [e.sentence for e in blame_eval.load_corpus(path)]
    texts += [e.sentence for e in blame_eval.load_corpus(blame_eval.CORPORA["ko"])]
    texts.append(blame_bench.prose_sample("ko"))
    texts.append(blame_bench.prose_sample("ko", split="heldout"))
    return texts + _korean_literals() + _translations()


def _translations():
    """The Korean translation's strings: prose the rules were not written against."""
    catalogue = TESTS.parent.parent / "locale" / "ko" / "LC_MESSAGES" / "django.po"
    return re.findall(r'"([^"\n]*[가-힣][^"\n]*)"', catalogue.read_text())


def _findings(texts):
    morph_ko.clear_caches()
    rules_ko.find.cache_clear()
    return [
        [(f.start, f.end, f.rule, f.message) for f in find_blame(text, people=PEOPLE)]
        for text in texts
    ]


@pytest.fixture
def kiwi_only():
    morph_ko.force_kiwi(True)
    yield
    morph_ko.force_kiwi(False)


def _compare(texts):
    ours = _findings(texts)
    morph_ko.force_kiwi(True)
    try:
        kiwi = _findings(texts)
    finally:
        morph_ko.force_kiwi(False)
    return [(t, a, b) for t, a, b in zip(texts, ours, kiwi, strict=True) if a != b], ours


def test_every_korean_corpus_sentence_has_kiwis_findings():
    texts = _korean_texts()
    differences, ours = _compare(texts)
    assert not differences
    assert sum(map(len, ours)) > 300  # the comparison is about real findings


def test_the_fast_path_reads_a_good_share_of_the_sentences_that_reach_the_analyser():
    sentences = [
        s.text
        for text in _korean_texts()
        for s in split(mask(text))
        if s.korean and triggers_ko.could_fire(s.text, PEOPLE)
    ]
    ours = [s for s in sentences if eojeol_ko.analyse(s) is not None]
    assert len(ours) > len(sentences) / 3
    # … and those include sentences that blame: the fast path is not only for the easy ones.
    assert sum(bool(rules_ko.find(s, PEOPLE)) for s in ours) > 50


def test_forcing_kiwi_sends_every_sentence_to_kiwi(kiwi_only, monkeypatch):
    def refuse(sentence):
        raise AssertionError(sentence)

    monkeypatch.setattr(eojeol_ko, "analyse", refuse)
    rules_ko.find.cache_clear()
    assert find_blame("담당자가 설정을 확인하지 않았다.", people=PEOPLE)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("담당자가 설정을 확인하지 않았다.", "담당자/NNG 가/JKS 설정/NNG 을/JKO 확인/NNG 하/XSV"),
        ("리뷰어가 봤어야 했다.", "리뷰어/NNG 가/JKS 보/VV 었/EP 어야/EC 하/VX 었/EP 다/EF"),
        ("현우 씨가 경보를 놓쳤다.", "현우/NNG 씨/NNB 가/JKS 경보/NNG 를/JKO 놓치/VV 었/EP"),
        ("지영님이 배포를 기다렸더라면", "지영/NNP 님/XSN 이/JKS 배포/NNG 를/JKO 기다리/VV"),
        ("제가 경보를 놓쳤습니다.", "저/NP 가/JKS 경보/NNG 를/JKO 놓치/VV 었/EP 습니다/EF"),
        ("누가 설정을 바꿨는지", "누구/NP 가/JKS 설정/NNG 을/JKO 바꾸/VV 었/EP 는지/EC"),
        ("설정이 어려웠다.", "설정/NNG 이/JKS 어렵/VA 었/EP 다/EF"),
    ],
)
def test_plain_sentences_are_read_without_kiwi(sentence, expected):
    morphs = eojeol_ko.analyse(sentence)
    assert morphs is not None
    assert " ".join(f"{m.form}/{m.tag}" for m in morphs).startswith(expected)


@pytest.mark.parametrize(
    "sentence",
    [
        "평가가 끝났다.",  # an unknown verb (끝나다)
        "설정변경이 장애를 냈다.",  # 변경 inside a compound: Kiwi splits it
        "스케줄러가 점검 플래그를 무시했다.",  # 러 + 가다, as Kiwi may read it
        "작업자가 기울였어도 막지 못했다.",  # a verb the lexicon does not hold
        "오류율이 50%였다.",  # symbols
        "그는 '실수'라고 했다.",  # quotes
    ],
)
def test_what_is_not_certain_goes_to_kiwi(sentence):
    assert eojeol_ko.analyse(sentence) is None


def _reading_pieces(sentence, given=None):
    """Our reading with Kiwi for the words it does not know: (morphemes, pieces Kiwi read).
    ``given`` collects, for each piece read in its context, the morphemes Kiwi was given."""
    pieces = []

    def piece(words, offset):
        pieces.append(words)
        return morph_ko.kiwi_piece(words, offset)

    def in_context(words, spans, offset):
        pieces.append(words)
        if given is not None:
            given.append([token for *_span, tokens in spans for token in tokens])
        return morph_ko.kiwi_given(words, spans, offset)

    return eojeol_ko.analyse(sentence, piece, in_context), pieces


def test_kiwi_reads_only_the_words_we_do_not_know():
    sentence = "담당자가 메일함으로 온 경고를 확인하지 않았다."
    morphs, pieces = _reading_pieces(sentence)
    assert pieces == ["메일함으로"]  # the rest is ours
    assert morphs == morph_ko.kiwi_morphemes(sentence)
    rules_ko.find.cache_clear()
    morph_ko.clear_caches()
    assert [f.rule for f in find_blame(sentence, people=PEOPLE)] == ["blame-verb"]


@pytest.mark.parametrize(
    ("sentence", "window"),
    [
        # a name before its honorific
        (
            "배포 직후에 박지영 님이 버킷을 정리하고 로그를 지웠다.",
            "직후에 박지영 님이 버킷을 정리하고 로그를",
        ),
        # 러 + 가다: Kiwi decides by the words after it
        ("스케줄러가 점검 플래그를 무시했다.", "스케줄러가 점검 플래그를"),
        # a name our lexicon reads as a common noun, then its honorific
        ("이현우 님이 변경 요청서를 작성하지 않고 작업했다.", "이현우 님이 변경 요청서를"),
        # 명령 inside a word: split by context
        ("운영자의 명령어 오타가 원인이었다.", "운영자의 명령어 오타가 원인이었다."),
        # a one-syllable word
        ("캐시가 키 형식 변경 후 멈췄다.", "캐시가 키 형식 변경"),
        # read alone, "/tmp 아래인지" ends with a final ending: read again with the words
        # around it
        (
            "정리 스크립트는 경로 인자가 /tmp 아래인지 확인하지 않는다.",
            "경로 인자가 /tmp 아래인지 확인하지 않는다.",
        ),
    ],
)
def test_words_read_by_their_context_are_read_with_the_words_around_them(sentence, window):
    given = []
    morphs, pieces = _reading_pieces(sentence, given)
    assert morphs is not None
    assert pieces[-1] == window  # not the whole sentence, where it has more words
    # The reading is Kiwi's reading of the whole sentence, but for the proper nouns our
    # lexicon reads as common ones (the rules read both alike).
    assert [_common(m) for m in morphs] == [_common(m) for m in morph_ko.kiwi_morphemes(sentence)]
    # Kiwi was given our reading of the words around, all but their nouns (names are NNP
    # to Kiwi where our lexicon says NNG), and read the rest itself.
    tags = [tag for _form, tag, _start, _end in given[-1]]
    assert tags
    assert not set(tags) & {"NNG", "NNP", "NNB", "NP", "SL", "SN"}
    differences, _ours = _compare([sentence])  # the findings are Kiwi's own
    assert not differences


def test_four_morphemes_of_ours_are_given_to_kiwi_as_two_spans():
    # kiwipiepy 0.24 misreads a list of exactly four morphemes ("Unknown tag value").
    morphs = (
        ("않", "VX", "않다", 4, 5),
        ("었", "EP", "었", 5, 6),
        ("다", "EF", "다", 6, 7),
        (".", "SF", ".", 7, 8),
    )
    spans = eojeol_ko.given_spans(morphs, 4)
    assert [len(tokens) for _start, _end, tokens in spans] == [2, 2]
    assert spans == [
        (0, 2, [("않", "VX", 0, 1), ("었", "EP", 1, 2)]),
        (2, 4, [("다", "EF", 0, 1), (".", "SF", 1, 2)]),
    ]
    read = morph_ko.kiwi_given("않았다.", spans, 4)
    assert [(form, tag, start) for form, tag, _lemma, start, _end in read] == [
        ("않", "VX", 4),
        ("었", "EP", 5),
        ("다", "EF", 6),
        (".", "SF", 7),
    ]


def test_spans_kiwi_refuses_are_read_as_if_nothing_were_given():
    refused = [(0, 1, [("않", "NOT_A_TAG", 0, 1)])]  # kiwipiepy raises ValueError
    assert morph_ko.kiwi_given("않았다.", refused, 10) == [
        (form, tag, lemma, start + 10, end + 10)
        for form, tag, lemma, start, end in morph_ko.kiwi_morphemes("않았다.")
    ]


def _common(morph):
    return morph.form, "NNG" if morph.tag == "NNP" else morph.tag, morph.start, morph.end


def test_a_particle_that_does_not_fit_the_noun_is_part_of_it():
    # 가 follows a vowel: "평가" cannot be 평 + 가, so 평가가 is 평가 + 가.
    morphs = eojeol_ko.analyse("평가가 늦었다.")
    assert morphs is not None
    assert [(m.form, m.tag) for m in morphs[:2]] == [("평가", "NNG"), ("가", "JKS")]


# Every conjugation the lexicon generates, of the verbs the rules list, in the frames the
# rules judge: each sentence the fast path reads has Kiwi's findings.
_FRAMES = (
    "담당자가 {}",
    "운영팀이 점검 전에 {}",
    "서버가 {}",
)


def _conjugated_sentences():
    lemmas = sorted(
        lemma
        for lemma in words_ko.FAILURE | words_ko.DUTY | predicates_ko.OUTCOME_VERBS
        if lemma[:-1] in eojeol_ko.verb_stems()
    )
    chains = (
        ("지", " 않았다."),
        ("었", "어야 했다."),
        ("었", "더라면 막았을 것이다."),
        ("었", "다."),
    )
    chains += (("지", " 못했다."), ("ᆫ", " 것이 아니다."), ("었", "어도 막았을 것이다."))
    sentences = []
    for lemma, (ending, rest), frame in itertools.product(lemmas, chains, _FRAMES):
        surface = eojeol_ko.surface(lemma[:-1], ending)
        if surface is not None:
            sentences.append(frame.format(surface + rest))
    return sentences


def test_the_listed_verbs_in_every_generated_conjugation_have_kiwis_findings():
    sentences = _conjugated_sentences()
    assert len(sentences) > 100
    differences, ours = _compare(sentences)
    assert not differences
    assert sum(map(len, ours)) > 50


# A frame for each way a generated form ends, in which Kiwi reads it as the form it is.
_IRREGULAR_FRAMES = {
    "EF": "작업이 {}.",
    "EC": "작업이 {} 모두 멈췄다.",
    "ETM": "{} 것이다.",
    "JX": "작업이 {} 않았다.",
}


def _b_irregular_forms():
    forms = []
    for stem in sorted(eojeol_ko._B_IRREGULAR):
        table = eojeol_ko._conjugate_b_irregular(stem, "VA", stem + "다")
        for surface, morphs in sorted(table.items()):
            frame = _IRREGULAR_FRAMES.get(morphs[-1][1])
            if frame is not None:
                forms.append((surface, frame.format(surface)))
    return forms


def test_every_generated_b_irregular_form_has_kiwis_morphemes():
    # "어려웠다", "쉬운", "무거워서": the word's morphemes, spans included, are Kiwi's.
    forms = _b_irregular_forms()
    assert len(forms) > 300
    differences = []
    for surface, sentence in forms:
        at = sentence.index(surface)
        ours = eojeol_ko._word(surface, at)
        kiwi = tuple(
            tuple(m) for m in morph_ko.kiwi_morphemes(sentence) if at <= m.start < at + len(surface)
        )
        if ours is not None and ours != kiwi:
            differences.append((sentence, ours, kiwi))
    assert not differences
    read = sum(eojeol_ko._word(surface, 0) is not None for surface, _sentence in forms)
    assert read > len(forms) * 0.8


def test_b_irregular_forms_in_blaming_sentences_have_kiwis_findings():
    sentences = [
        frame.format(surface)
        for surface, _sentence in _b_irregular_forms()
        for frame in ("담당자가 {} 설정을 확인하지 않았다.", "{} 담당자가 경보를 놓쳤다.")
    ]
    differences, ours = _compare(sentences)
    assert not differences
    assert sum(map(len, ours)) > len(sentences) / 2
