import pytest

from tests.bench import blame_eval
from tests.bench.blame_eval import CORPORA, evaluate, load_corpus, split_path, table

RULES = {
    "counterfactual",
    "human-error",
    "person-as-cause",
    "carelessness",
    "blame-verb",
    "hindsight-bias",
}


@pytest.mark.parametrize("language", ["en", "ko"])
def test_corpus_is_large_and_balanced(language):
    examples = load_corpus(CORPORA[language])
    blame = [e for e in examples if e.is_blame]
    neutral = [e for e in examples if not e.is_blame]
    assert len(examples) >= 150
    assert len(blame) >= 60
    assert len(neutral) >= 60
    assert {e.rule for e in blame} == RULES


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_split_corpus_has_six_hundred_sentences_a_third_held_out(language):
    dev = load_corpus(split_path(language, "dev"))
    heldout = load_corpus(split_path(language, "heldout"))
    assert len(dev) + len(heldout) >= 600
    assert len(heldout) >= (len(dev) + len(heldout)) / 3
    assert not {e.sentence for e in dev} & {e.sentence for e in heldout}
    for split in (dev, heldout):
        assert {e.rule for e in split if e.is_blame} == RULES
        assert sum(not e.is_blame for e in split) >= sum(e.is_blame for e in split)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_old_corpus_still_passes(language):
    result = evaluate(CORPORA[language])
    assert result["precision"] >= 0.9, result["false_alarms"]
    assert result["recall"] >= 0.9, result["misses"]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_held_out_precision_is_at_least_90_and_recall_at_least_85_percent(language):
    # Only the figures are shown: the held-out sentences are never read to tune rules.
    result = evaluate(split_path(language, "heldout"))
    assert result["precision"] >= 0.90, f"precision {result['precision']:.3f}"
    assert result["recall"] >= 0.85, f"recall {result['recall']:.3f}"


def test_table_lists_every_language_split_and_rule():
    text = table(blame_eval.evaluate_all())
    assert "en   heldout  ALL" in text
    assert "ko   dev      person-as-cause" in text
    assert "ko   old      ALL" in text


def test_a_malformed_corpus_line_is_refused(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("label\trule\tsentence\nblame\tnot-a-rule\tWe broke it.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown rule"):
        load_corpus(path)


def test_a_malformed_jsonl_line_is_refused(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "We broke it.", "label": "maybe"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="blaming"):
        load_corpus(path)
