"""Precision and recall of ``postmortems.language`` against a labelled corpus.

The corpora live in ``postmortems/tests/data/blame_corpus_<lang>.tsv``: a header line, then
``label<TAB>rule<TAB>sentence`` where label is ``blame`` or ``neutral``, rule is the rule id
the sentence should trigger (``-`` for neutral ones) and ``\\n`` in a sentence stands for a
line break (for code blocks). The test suite asserts the figures; ``make bench`` prints them
per rule and language with ``evaluate``.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from .language import RULE_IDS, find_blame

DATA_DIR = Path(__file__).resolve().parent / "tests" / "data"
CORPORA = {
    "en": DATA_DIR / "blame_corpus_en.tsv",
    "ko": DATA_DIR / "blame_corpus_ko.tsv",
}

# The people of the organisation the corpus sentences speak about, as the lint view would
# pass them: first names, full names, usernames.
CORPUS_PEOPLE = (
    "Bob",
    "Alex",
    "Priya",
    "Jordan",
    "Sam",
    "Mina",
    "jdoe",
    "kchen",
    "민수",
    "김민수",
    "지영",
    "박지영",
    "서연",
    "현우",
    "이현우",
    "hwlee",
)


@dataclass(frozen=True)
class Example:
    label: str
    rule: str
    sentence: str

    @property
    def is_blame(self):
        return self.label == "blame"


def load_corpus(path):
    """The examples of one corpus file, in file order."""
    examples = []
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for number, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != 3 or row[0] not in ("blame", "neutral"):
                raise ValueError(f"{path}:{number}: expected label, rule, sentence")
            label, rule, sentence = row
            if rule != "-" and rule not in RULE_IDS:
                raise ValueError(f"{path}:{number}: unknown rule {rule!r}")
            examples.append(Example(label, rule, sentence.replace("\\n", "\n")))
    return examples


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else 1.0


def evaluate(corpus_path, *, people=CORPUS_PEOPLE):
    """Sentence-level precision and recall, overall and per expected rule.

    A blaming sentence counts as found when any finding is reported for it; the rule table
    says, per expected rule, how many of its sentences were found at all and how many were
    found under that very rule. ``misses`` and ``false_alarms`` list the sentences to look
    at.
    """
    examples = load_corpus(corpus_path)
    tp = fp = fn = tn = 0
    per_rule = {rule: {"sentences": 0, "found": 0, "rule_matched": 0} for rule in RULE_IDS}
    misses, false_alarms = [], []
    for example in examples:
        findings = find_blame(example.sentence, people=people)
        rules = {f.rule for f in findings}
        if example.is_blame:
            stats = per_rule[example.rule]
            stats["sentences"] += 1
            if findings:
                tp += 1
                stats["found"] += 1
                stats["rule_matched"] += example.rule in rules
            else:
                fn += 1
                misses.append(example.sentence)
        elif findings:
            fp += 1
            false_alarms.append((example.sentence, sorted(rules)))
        else:
            tn += 1
    for stats in per_rule.values():
        stats["recall"] = _ratio(stats["found"], stats["sentences"])
        stats["rule_accuracy"] = _ratio(stats["rule_matched"], stats["sentences"])
    return {
        "path": str(corpus_path),
        "examples": len(examples),
        "blame": tp + fn,
        "neutral": fp + tn,
        "true_positives": tp,
        "false_positives": fp,
        "false_negatives": fn,
        "true_negatives": tn,
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "per_rule": per_rule,
        "misses": misses,
        "false_alarms": false_alarms,
    }


def table(results_by_language):
    """A plain-text table of ``{"en": evaluate(...), ...}`` for the bench output."""
    lines = [f"{'lang':<5}{'rule':<17}{'n':>5}{'recall':>9}{'rule ok':>9}"]
    for language, result in results_by_language.items():
        for rule, stats in result["per_rule"].items():
            if stats["sentences"]:
                lines.append(
                    f"{language:<5}{rule:<17}{stats['sentences']:>5}"
                    f"{stats['recall']:>9.2f}{stats['rule_accuracy']:>9.2f}"
                )
        lines.append(
            f"{language:<5}{'ALL':<17}{result['examples']:>5}  precision {result['precision']:.3f}"
            f"  recall {result['recall']:.3f}"
        )
    return "\n".join(lines)
