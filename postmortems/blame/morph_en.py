"""English morphology through lemminflect: word lists hold lemmas, this module knows the
inflections ("forget" → forgot, forgotten, forgets, forgetting).

lemminflect ships its dictionaries inside the wheel (no download, no model to fetch) and
is a pure-Python lookup, so it is loaded once, lazily, and costs nothing per keystroke:
the rules match surface forms compiled from these inflections.
"""

from functools import cache, lru_cache


@cache
def _lemminflect():
    import lemminflect  # a lazy import: processes that never lint never load it

    return lemminflect


def inflections(lemma):
    """Every form of a verb lemma (multi-word: the first word is inflected)."""
    head, _sep, rest = lemma.partition(" ")
    library = _lemminflect()
    table = library.getAllInflections(head, upos="VERB") or library.getAllInflectionsOOV(
        head, upos="VERB"
    )
    forms = {head}
    for values in table.values():
        forms.update(values)
    return {f"{form} {rest}".strip() for form in forms}


def all_forms(lemmas):
    forms = set()
    for lemma in lemmas:
        forms |= inflections(lemma)
    return forms


@lru_cache(maxsize=4096)
def verb_lemma(word):
    """The verb lemma of ``word`` ("overlooked" → "overlook"), or the word itself."""
    lemmas = _lemminflect().getLemma(word.lower(), upos="VERB")
    return lemmas[0] if lemmas else word.lower()
