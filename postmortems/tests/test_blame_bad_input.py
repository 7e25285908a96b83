"""Text nobody writes on purpose still gets an answer, not an error (speeds: make bench)."""

import pytest

from postmortems.language import find_blame
from tests.bench.blame import bad_inputs


@pytest.mark.parametrize("name", sorted(bad_inputs()))
def test_bad_input_is_answered_without_an_error(name):
    text = bad_inputs()[name]
    findings = find_blame(text, people=("Bob", "민수"))
    for finding in findings:
        assert text[finding.start : finding.end] == finding.phrase


def test_a_nul_character_does_not_hide_the_text_around_it():
    assert {f.rule for f in find_blame("It was\x00 human error.")} == {"human-error"}


def test_right_to_left_marks_keep_offsets_exact():
    text = "\u200fThe engineer forgot to drain the node.\u200e"
    (finding,) = find_blame(text)
    assert text[finding.start : finding.end] == "forgot"


def test_a_sentence_longer_than_any_real_one_is_still_checked():
    text = "word " * 300 + "It was human error."
    assert "human-error" in {f.rule for f in find_blame(text)}
