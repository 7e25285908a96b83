"""Blame detection for postmortem prose, in English and Korean (see ``detector``).

Its modules run compiled where ``make compiled`` built them (``postmortems.blame_compiled``).
"""

# First: with BLAME_COMPILED=0 it sends the imports below to the sources.
import postmortems.blame_compiled  # noqa: F401

from .context import sentence_at, sentence_key
from .detector import find_blame
from .finding import Finding
from .masking import mask
from .people import normalise_people
from .rules import RULE_IDS, RULES, RULES_KO, RuleText

__all__ = ["RULES", "RULES_KO", "RULE_IDS", "Finding", "RuleText", "find_blame", "mask"]
__all__ += ["normalise_people", "sentence_at", "sentence_key"]
