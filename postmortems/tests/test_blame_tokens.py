import pytest

from postmortems.blame.actors_en import _TOKEN, tokenize
from tests.bench.blame_eval import load_corpus, split_path

ODD = (
    "",
    "   ",
    "a - b; c, d (e) f—g – h",
    "x\x00y  z",
    "'quoted' text, @bob's  fault.",
    "İstanbul ΣΑΣ a_b __ @@ @",
    "민수님이 설정을 (다시) 확인했다; 그리고 배포했다.",
)


def _texts():
    texts = list(ODD)
    for language in ("en", "ko"):
        texts += [e.sentence for e in load_corpus(split_path(language, "dev"))]
    return texts


@pytest.mark.parametrize("base", [0, 7])
def test_tokens_are_the_token_pattern_matches_with_their_offsets(base):
    for text in _texts():
        tokens = tokenize(text, base)
        expected = [(m.group(), m.start() + base, m.end() + base) for m in _TOKEN.finditer(text)]
        assert [(t.word, t.start, t.end) for t in tokens] == expected, text
        assert all(t.low == t.word.lower() for t in tokens)


def test_a_clause_opens_at_punctuation_or_a_joining_word():
    tokens = tokenize("The page fired, and Bob slept; nobody - nothing (else) woke")
    assert [(t.word, t.clause, t.opener) for t in tokens] == [
        ("The", 0, ""),
        ("page", 0, ""),
        ("fired", 0, ""),
        ("and", 2, "and"),
        ("Bob", 2, "and"),
        ("slept", 2, "and"),
        ("nobody", 3, ";"),
        ("nothing", 4, "-"),
        ("else", 5, "("),
        ("woke", 6, ")"),
    ]
