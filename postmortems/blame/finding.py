"""One hint: where it is in the text, which rule, why, and what to write instead."""

from dataclasses import dataclass
from typing import NamedTuple

from .rules import rule_text


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    phrase: str
    rule: str
    message: str
    suggestion: str

    def as_dict(self):
        return {
            "start": self.start,
            "end": self.end,
            "phrase": self.phrase,
            "rule": self.rule,
            "message": str(self.message),
            "suggestion": str(self.suggestion),
        }


def make_finding(text, start, end, rule, korean):
    """A finding for ``text[start:end]`` with the rule's texts in the phrase's language."""
    info = rule_text(rule, korean)
    return Finding(start, end, text[start:end], rule, info.message, info.suggestion)


class Hit(NamedTuple):
    """A phrase a rule judged blaming, before its texts are attached: offsets into the
    text, the rule, and who acts (an ``actors_en.Actor``; a named person is also flagged)."""

    start: int
    end: int
    rule: str
    actor: tuple
