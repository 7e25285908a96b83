import pytest

from postmortems.language_eval import CORPORA, evaluate, load_corpus, table


@pytest.mark.parametrize("language", ["en", "ko"])
def test_corpus_is_large_and_balanced(language):
    examples = load_corpus(CORPORA[language])
    blame = [e for e in examples if e.is_blame]
    neutral = [e for e in examples if not e.is_blame]
    assert len(examples) >= 150
    assert len(blame) >= 60
    assert len(neutral) >= 60
    assert {e.rule for e in blame} == {
        "counterfactual",
        "human-error",
        "person-as-cause",
        "carelessness",
        "blame-verb",
        "hindsight-bias",
    }


@pytest.mark.parametrize("language", ["en", "ko"])
def test_precision_and_recall_are_at_least_ninety_percent(language):
    result = evaluate(CORPORA[language])
    assert result["precision"] >= 0.9, result["false_alarms"]
    assert result["recall"] >= 0.9, result["misses"]


def test_table_lists_every_language_and_rule():
    text = table({lang: evaluate(path) for lang, path in CORPORA.items()})
    assert "en   ALL" in text
    assert "ko   person-as-cause" in text


def test_a_malformed_corpus_line_is_refused(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("label\trule\tsentence\nblame\tnot-a-rule\tWe broke it.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown rule"):
        load_corpus(path)
