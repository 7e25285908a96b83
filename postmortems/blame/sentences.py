"""Cut masked text into sentences (with offsets) and tell which language each is in."""

import re

# A sentence ends at . ! ? 。 followed by a space or the end, or at a line break; a
# decimal point ("3.5") or a dotted name ("db-3.eu") does not end one.
_SENTENCE = re.compile(r"(?:[^\n.!?。]+|[.!?。]+(?=[^\s.!?。\"'”’)\]]))*(?:[.!?。]+|\n|$)")
_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")


class Sentence:
    __slots__ = ("korean", "start", "text")

    def __init__(self, text, start, korean):
        self.text = text
        self.start = start
        self.korean = korean


def split(masked):
    """The sentences of ``masked`` that contain letters, each with its offset."""
    sentences = []
    for m in _SENTENCE.finditer(masked):
        piece = m.group()
        if not piece.strip():
            continue
        hangul = _HANGUL.search(piece) is not None
        if not hangul and _LATIN.search(piece) is None:
            continue  # numbers, emoji, punctuation: nothing to judge
        sentences.append(Sentence(piece, m.start(), hangul))
    return sentences
