"""Theme suggestions for a factor description: keyword matches, then words shared with
past factors tagged with the theme."""

import re
from collections import defaultdict
from dataclasses import dataclass

from postmortems.models import ContributingFactor
from postmortems.selectors import visible_postmortems, visible_themes

TOKEN = re.compile(r"\w+", re.UNICODE)
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "did",
        "do",
        "for",
        "from",
        "had",
        "has",
        "have",
        "in",
        "into",
        "is",
        "it",
        "its",
        "no",
        "not",
        "of",
        "on",
        "or",
        "so",
        "than",
        "that",
        "the",
        "their",
        "then",
        "there",
        "this",
        "to",
        "was",
        "we",
        "were",
        "when",
        "which",
        "while",
        "with",
        "without",
        "our",
        "after",
        "before",
        "during",
        "because",
        "could",
        "would",
        "should",
    ]
)
# How many recent tagged factors a suggestion compares against (bounded work per request).
SUGGESTION_SAMPLE = 2000
SUGGESTION_LIMIT = 5


def tokens(text):
    """Lower-cased words of two or more letters, English stop words left out. No stemming:
    Korean words are compared as written."""
    return {t for t in TOKEN.findall((text or "").lower()) if len(t) > 1 and t not in STOPWORDS}


def _keyword_found(keyword, lowered):
    keyword = keyword.lower()
    if keyword.isascii():
        return re.search(rf"\b{re.escape(keyword)}", lowered) is not None
    # Korean attaches particles to words (알림이, 알림을): a substring is a match.
    return keyword in lowered


@dataclass
class Suggestion:
    theme: object
    score: float
    keywords: list
    shared_words: list


def suggest_themes(text, *, user, limit=SUGGESTION_LIMIT, exclude=()):
    """Themes for a factor description, best first: keyword matches weigh most, then the
    share of the text's words found in past factors tagged with the theme. Two queries.

    Only themes and factors ``user`` may see take part: the shared words are quoted back,
    so comparing against a restricted factor would let anyone read it word by word."""
    lowered = (text or "").lower()
    words = tokens(text)
    if not words:
        return []
    themes = {t.pk: t for t in visible_themes(user).exclude(pk__in=list(exclude))}
    vocab = defaultdict(set)
    through = ContributingFactor.themes.through
    rows = (
        through.objects.filter(
            theme_id__in=list(themes),
            contributingfactor__postmortem__in=visible_postmortems(user).values("pk"),
        )
        .order_by("-contributingfactor_id")
        .values_list("theme_id", "contributingfactor__description")[:SUGGESTION_SAMPLE]
    )
    for theme_id, description in rows:
        vocab[theme_id] |= tokens(description)
    suggestions = []
    for theme in themes.values():
        found = [k for k in theme.keyword_list if _keyword_found(k, lowered)]
        known = vocab[theme.pk] | tokens(theme.name) | tokens(theme.description)
        shared = sorted(words & known)
        score = 2.0 * len(found) + len(shared) / len(words)
        if found or shared:
            suggestions.append(Suggestion(theme, round(score, 3), found, shared))
    suggestions.sort(key=lambda s: (-s.score, s.theme.name.lower()))
    return suggestions[:limit]
