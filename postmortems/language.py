"""Blame detection: the public entry point, kept at this path for the code that calls it.

The detector lives in the ``postmortems.blame`` package (rules per language, morphology,
masking, word lists); see ``postmortems/blame/detector.py``.
"""

from .blame import (
    RULE_IDS,
    RULES,
    RULES_KO,
    Finding,
    RuleText,
    find_blame,
    mask,
    normalise_people,
    sentence_at,
    sentence_key,
)
from .blame.rules import (
    BLAME_VERB,
    CARELESSNESS,
    COUNTERFACTUAL,
    HINDSIGHT_BIAS,
    HUMAN_ERROR,
    PERSON_AS_CAUSE,
)

__all__ = [
    "BLAME_VERB",
    "CARELESSNESS",
    "COUNTERFACTUAL",
    "HINDSIGHT_BIAS",
    "HUMAN_ERROR",
    "PERSON_AS_CAUSE",
    "RULES",
    "RULES_KO",
    "RULE_IDS",
    "Finding",
    "RuleText",
    "find_blame",
    "mask",
    "normalise_people",
    "sentence_at",
    "sentence_key",
]
