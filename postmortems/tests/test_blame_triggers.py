"""The Korean pre-filter: a sentence skips the analyser only when no rule could fire in it."""

import re

import pytest

from postmortems.blame import (
    find_blame,
    mask,
    morph_en,
    morph_ko,
    normalise_people,
    rules_en,
    rules_ko,
    triggers_ko,
)
from postmortems.blame.sentences import split as sentences_of
from tests.bench import blame_eval

PEOPLE = normalise_people(blame_eval.CORPUS_PEOPLE)


def _corpus_sentences():
    sentences = []
    for language in blame_eval.LANGUAGES:
        for split in blame_eval.SPLITS:
            path = blame_eval.split_path(language, split)
            sentences += [e.sentence for e in blame_eval.load_corpus(path)]
        sentences += [e.sentence for e in blame_eval.load_corpus(blame_eval.CORPORA[language])]
    return sentences


def _findings(sentences):
    for cached in (morph_ko.morphemes, morph_en.verb_lemma, rules_en.find, rules_ko.find):
        cached.cache_clear()
    return [
        [(f.start, f.end, f.rule) for f in find_blame(sentence, people=PEOPLE)]
        for sentence in sentences
    ]


def test_the_pre_filter_changes_no_finding_on_the_whole_corpus(monkeypatch):
    sentences = _corpus_sentences()
    filtered = _findings(sentences)
    monkeypatch.setattr(triggers_ko, "could_fire", lambda text, people: True)
    unfiltered = _findings(sentences)
    differences = [
        (sentence, a, b)
        for sentence, a, b in zip(sentences, filtered, unfiltered, strict=True)
        if a != b
    ]
    assert not differences
    assert sum(map(len, filtered)) > 500  # the comparison is about real findings


def test_the_predicates_passed_over_unjudged_make_no_finding_on_the_whole_corpus(monkeypatch):
    from postmortems.blame import predicates_ko

    sentences = _corpus_sentences()
    passed_over = []
    may_hit = predicates_ko._may_hit

    def counted(analysis, pred):
        found = may_hit(analysis, pred)
        passed_over.append(not found)
        return found

    monkeypatch.setattr(predicates_ko, "_may_hit", counted)
    judged = _findings(sentences)
    monkeypatch.setattr(predicates_ko, "_may_hit", lambda analysis, pred: True)
    assert _findings(sentences) == judged
    assert sum(passed_over) > len(passed_over) / 2  # most predicates are passed over
    assert sum(map(len, judged)) > 500


def _korean_sentences():
    from postmortems.tests.test_blame_eojeol_ko import _korean_texts

    return [s.text for text in _korean_texts() for s in sentences_of(mask(text)) if s.korean]


def test_the_one_search_before_the_checks_lets_through_every_sentence_they_would(monkeypatch):
    sentences = _korean_sentences()
    with_it = [triggers_ko.could_fire(s, PEOPLE) for s in sentences]
    settled = sum(not triggers_ko._prefilter().search(s) for s in sentences)
    everything = re.compile("")
    monkeypatch.setattr(triggers_ko, "_prefilter", lambda: everything)
    without = [triggers_ko.could_fire(s, PEOPLE) for s in sentences]
    assert with_it == without
    assert sum(with_it) > 300  # the comparison is about sentences that do fire
    # … and it settles most of the others on its own.
    assert settled > (len(sentences) - sum(with_it)) / 2


_GROUPED = ("_prefilter", "_always", "_omission", "_any_phrase")


def _spans(sentences):
    expressions = [getattr(triggers_ko, name)() for name in _GROUPED]
    return [[(m := e.search(s)) and m.span() for e in expressions] for s in sentences]


def test_the_expressions_with_branches_joined_by_first_character_find_the_same(monkeypatch):
    sentences = _korean_sentences() + _corpus_sentences()
    for name in _GROUPED:
        getattr(triggers_ko, name).cache_clear()
    grouped = _spans(sentences)
    sizes = [
        len(triggers_ko._top_level_branches(getattr(triggers_ko, name)().pattern))
        for name in _GROUPED
    ]
    monkeypatch.setattr(triggers_ko, "_by_first_character", lambda pattern: pattern)
    for name in _GROUPED:
        getattr(triggers_ko, name).cache_clear()
    try:
        as_written = _spans(sentences)
        sizes_written = [
            len(triggers_ko._top_level_branches(getattr(triggers_ko, name)().pattern))
            for name in _GROUPED
        ]
    finally:
        monkeypatch.undo()
        for name in _GROUPED:
            getattr(triggers_ko, name).cache_clear()
    assert grouped == as_written
    assert sum(span is not None for row in grouped for span in row) > 1000
    assert all(a < b for a, b in zip(sizes, sizes_written, strict=True))  # joined at all


def test_branches_are_cut_outside_groups_and_classes_only():
    pattern = r"확인(?:하|되)|[|(]x|\|y|확정|[]|]z|안"
    branches = ["확인(?:하|되)", "[|(]x", r"\|y", "확정", "[]|]z", "안"]
    assert triggers_ko._top_level_branches(pattern) == branches
    grouped = triggers_ko._by_first_character(pattern)
    assert grouped.startswith("확(?:인(?:하|되)|정)|")
    for text in ("확인하", "확정", "|x", "(x", "|y", "y", "]z", "|z", "안", "확인", "확"):
        assert bool(re.search(grouped, text)) == bool(re.search(pattern, text)), text


def test_a_phrase_expression_searched_after_its_widened_form_finds_the_same_matches():
    from postmortems.blame import cues_ko

    texts = [
        *_korean_sentences(),
        "그냥 재시작만 하면 됐다.",
        "롤백하기만 하면 되는 일이었다.",
        "경험 많은 엔지니어라면 알았을 것이다.",
        "경보를 꺼 둔 채 배포했다.",
    ]
    found = 0
    for regex in (cues_ko._HINDSIGHT, cues_ko._FAILURE_PHRASES):
        for text in texts:
            expected = [m.span() for m in regex.finditer(text)]
            assert [m.span() for m in triggers_ko.phrase_matches(regex, text)] == expected
            found += len(expected)
    assert found > 30  # the comparison is about real matches


def test_a_text_the_one_phrase_search_passes_over_holds_no_phrase():
    texts = [*_korean_sentences(), *_corpus_sentences()]
    passed_over = [text for text in texts if not triggers_ko.may_hold_phrase(text)]
    for regex, _deniable in triggers_ko._PHRASES:
        assert not [text for text in passed_over if regex.search(text)]
    held = [text for text in texts if any(r.search(text) for r, _d in triggers_ko._PHRASES)]
    assert len(held) > 50 and len(passed_over) > len(texts) / 2


def test_the_pre_filter_lets_most_neutral_korean_sentences_skip_the_analyser():
    examples = blame_eval.load_corpus(blame_eval.split_path("ko", "dev"))
    neutral = [e.sentence for e in examples if not e.is_blame]
    skipped = [s for s in neutral if not triggers_ko.could_fire(s, PEOPLE)]
    assert len(skipped) > len(neutral) / 3


def test_a_sentence_without_a_trigger_is_not_analysed(monkeypatch):
    def refuse(sentence):
        raise AssertionError(f"analysed: {sentence}")

    monkeypatch.setattr(rules_ko, "Analysis", refuse)
    rules_ko.find.cache_clear()
    assert find_blame("배포는 10시 5분에 끝났고 오류율은 0.1%로 돌아왔다.") == []


@pytest.mark.parametrize(
    ("lemma", "forms", "not_forms"),
    [
        ("놓치다", ["놓쳤다", "놓친", "놓치고"], ["놓았다"]),
        ("보다", ["봤다", "보지", "본", "봅니다"], ["복제", "북"]),
        ("따르다", ["따라", "따랐다", "따르지"], []),
        ("잊다", ["잊었다", "잊고"], ["있었다", "이었다"]),
        ("확인하다", ["확인했다", "확인 안 했다"], []),
    ],
)
def test_a_verb_is_matched_in_its_conjugations(lemma, forms, not_forms):
    pattern = re.compile(triggers_ko.stem_pattern(lemma))
    for form in forms:
        assert pattern.match(form), form
    for form in not_forms:
        assert not pattern.match(form), form


def test_a_verb_added_to_the_word_lists_is_a_trigger_too(monkeypatch):
    from postmortems.blame import words_ko

    sentence = "그는 점검표를 흘려보냈다."
    assert not triggers_ko.could_fire(sentence, PEOPLE)
    monkeypatch.setattr(words_ko, "FAILURE", words_ko.FAILURE | {"흘려보내다"})
    triggers_ko._always.cache_clear()
    triggers_ko._prefilter.cache_clear()
    try:
        assert triggers_ko.could_fire(sentence, PEOPLE)
    finally:
        monkeypatch.undo()
        triggers_ko._always.cache_clear()
        triggers_ko._prefilter.cache_clear()


def test_a_rule_that_needs_a_person_is_skipped_without_one():
    assert not triggers_ko.could_fire("무엇이 잘못된 리전을 고르기 쉽게 만들었나요?", PEOPLE)
    assert triggers_ko.could_fire("작업자가 잘못된 리전을 골랐다.", PEOPLE)
    assert triggers_ko.could_fire("현우 씨가 재시작하는 바람에 장애가 났다.", PEOPLE)


@pytest.mark.parametrize(
    ("text", "could"),
    [
        ("백업 작업에 체크섬이 있었다면 이를 잡았을 것이다.", False),
        ("런북에 클러스터가 적혀 있었다면 스크립트는 스테이징으로 갔을 것이다.", True),
        ("콘솔에 리전이 표시되었다면 명령은 스테이징으로 갔을 것이다.", False),
        ("담당자에게 경보가 전달되었다면 바로 대응했을 것이다.", True),
        ("런북은 2021년 이후 갱신되지 않았다.", False),
        ("담당자가 런북을 갱신하지 않았다.", True),
    ],
)
def test_existence_and_passives_need_more_than_a_past_tense(text, could):
    assert triggers_ko.could_fire(text, PEOPLE) is could


@pytest.mark.parametrize(
    ("denied", "said"),
    [
        ("아무도 실수하지 않았다.", "담당자가 실수했다."),
        ("그는 그 단계를 잊지 않았다.", "그는 그 단계를 잊었다."),
        ("작업자가 부주의하지 않았다.", "작업자가 부주의했다."),
        ("휴먼 에러가 아니었다.", "휴먼 에러였다."),
        (
            "런북이 오래된 것은 현우 씨의 잘못이 아니었습니다.",
            "런북이 오래된 것은 현우 씨의 잘못이었습니다.",
        ),
        ("심리적 안전감이 있어야 말할 수 있다.", "담당자가 확인했어야 했다."),
        (
            "주 담당자가 응답하지 않으면 보조 로테이션을 호출한다.",
            "주 담당자가 응답하지 않았다.",
        ),
    ],
)
def test_a_cue_denied_where_it_stands_or_a_mood_without_a_past_tense_is_not_analysed(denied, said):
    assert not triggers_ko.could_fire(denied, PEOPLE)
    assert find_blame(denied, people=PEOPLE) == []
    assert triggers_ko.could_fire(said, PEOPLE)
    assert find_blame(said, people=PEOPLE)


def test_a_negation_that_goes_on_is_still_a_trigger():
    sentence = "담당자가 확인하지 않으면서 승인했다."
    assert triggers_ko.could_fire(sentence, PEOPLE)
    assert [f.rule for f in find_blame(sentence, people=PEOPLE)] == ["blame-verb"]
