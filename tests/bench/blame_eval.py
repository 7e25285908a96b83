"""Precision and recall of ``postmortems.language.find_blame`` against labelled corpora.

Corpora live in ``tests/data/blame/``:

- ``{en,ko}.dev.jsonl`` and ``{en,ko}.heldout.jsonl``: one JSON object per line with
  ``text``, ``label`` (``blaming`` or ``neutral``) and, for blaming ones, the ``rule`` the
  sentence belongs to. Written in the styles of real text; the held-out split was written
  before the rules were changed and is never tuned on (``make bench`` and the tests only
  measure it).
- ``old_{en,ko}.tsv``: the first corpus, written next to the first rules: a header line,
  then ``label<TAB>rule<TAB>sentence`` (label ``blame``/``neutral``, rule ``-`` for neutral
  ones, ``\\n`` for a line break). It must still pass.
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from postmortems.language import RULE_IDS, find_blame

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "blame"
LANGUAGES = ("en", "ko")
SPLITS = ("dev", "heldout")
CORPORA = {language: DATA_DIR / f"old_{language}.tsv" for language in LANGUAGES}


def split_path(language, split):
    return DATA_DIR / f"{language}.{split}.jsonl"


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
        return self.label in ("blame", "blaming")


def load_corpus(path):
    """The examples of one corpus file (TSV or JSONL), in file order."""
    path = Path(path)
    if path.suffix == ".jsonl":
        return _load_jsonl(path)
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


def _load_jsonl(path):
    examples = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            label, rule = row.get("label"), row.get("rule", "-")
            if label not in ("blaming", "neutral") or not row.get("text"):
                raise ValueError(f"{path}:{number}: expected text and label blaming|neutral")
            if label == "blaming" and rule not in RULE_IDS:
                raise ValueError(f"{path}:{number}: unknown rule {rule!r}")
            examples.append(Example(label, rule, row["text"]))
    return examples


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else 1.0


def evaluate(corpus_path, *, people=CORPUS_PEOPLE):
    """Sentence-level precision and recall, overall and per rule.

    A blaming sentence counts as found when any finding is reported for it. Per rule:
    ``recall`` is the share of the sentences labelled with that rule that were found at
    all, ``rule_accuracy`` the share found under that very rule, and ``precision`` the
    share of sentences where the rule fired that are blaming. ``misses`` and
    ``false_alarms`` list the sentences to look at (read them for dev only).
    """
    examples = load_corpus(corpus_path)
    tp = fp = fn = tn = 0
    per_rule = {
        rule: {"sentences": 0, "found": 0, "rule_matched": 0, "fired": 0, "fired_on_blame": 0}
        for rule in RULE_IDS
    }
    misses, false_alarms = [], []
    for example in examples:
        findings = find_blame(example.sentence, people=people)
        rules = {f.rule for f in findings}
        for rule in rules:
            per_rule[rule]["fired"] += 1
            per_rule[rule]["fired_on_blame"] += example.is_blame
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
        stats["precision"] = _ratio(stats["fired_on_blame"], stats["fired"])
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


def table(results):
    """A plain-text table of ``{"en": evaluate(...), ...}`` or ``{("en", "dev"): …}``."""
    lines = [
        f"{'lang':<5}{'split':<9}{'rule':<17}{'n':>5}{'recall':>8}{'rule ok':>9}{'fired':>7}"
        f"{'precision':>11}"
    ]
    for key, result in results.items():
        language, split = key if isinstance(key, tuple) else (key, "old")
        for rule, stats in result["per_rule"].items():
            if stats["sentences"] or stats["fired"]:
                lines.append(
                    f"{language:<5}{split:<9}{rule:<17}{stats['sentences']:>5}"
                    f"{stats['recall']:>8.2f}{stats['rule_accuracy']:>9.2f}{stats['fired']:>7}"
                    f"{stats['precision']:>11.2f}"
                )
        lines.append(
            f"{language:<5}{split:<9}{'ALL':<17}{result['examples']:>5}  precision "
            f"{result['precision']:.3f}  recall {result['recall']:.3f}  "
            f"({result['false_positives']} false alarms, {result['false_negatives']} misses)"
        )
    return "\n".join(lines)


def evaluate_all():
    """Every corpus: ``{(language, split): evaluate(...)}`` with split dev, heldout, old."""
    results = {}
    for language in LANGUAGES:
        for split in SPLITS:
            results[(language, split)] = evaluate(split_path(language, split))
        results[(language, "old")] = evaluate(CORPORA[language])
    return results


def benchmark(size=10_000, rounds=50, people=("alex", "bob", "민수")):
    """Milliseconds per call of ``find_blame`` on ``size`` characters of mixed prose
    (the same text each round, as the live hints re-check a field)."""
    import time

    from postmortems.language import normalise_people

    sample = (
        "At 10:02 the deploy failed to start and the canary rolled back. Bob should have "
        "checked the dashboard. 민수님이 롤백을 시작했다. 설정을 확인했어야 했다. "
        "> quoted: human error\nThe alert fired and Alex paged the on-call. "
    )
    text = (sample * (size // len(sample) + 1))[:size]
    people = normalise_people(people)
    find_blame(text, people=people)
    timings = []
    for _round in range(rounds):
        began = time.perf_counter()
        find_blame(text, people=people)
        timings.append(time.perf_counter() - began)
    timings.sort()
    return timings[len(timings) // 2] * 1000  # the median: robust on a busy machine
