"""Cut masked text into sentences (with offsets) and tell which language each is in."""

import re
from typing import NamedTuple

# A sentence ends at . ! ? 。 followed by a space or the end, or at a line break; a
# decimal point ("3.5") or a dotted name ("db-3.eu") does not end one.
_SENTENCE = re.compile(r"(?:[^\n.!?。]+|[.!?。]+(?=[^\s.!?。\"'”’)\]]))*(?:[.!?。]+|\n|$)")
_HANGUL = re.compile(r"[가-힣]")
_LATIN = re.compile(r"[A-Za-z]")


class Sentence(NamedTuple):
    text: str
    start: int
    korean: bool


_new_tuple = tuple.__new__


# Real sentences are far shorter; a longer run (a pasted log line, 100 kB of one
# character) is judged in pieces, so no input makes the per-sentence work grow with it.
MAX_SENTENCE = 400


def split(masked):
    """The sentences of ``masked`` that contain letters, each with its offset."""
    sentences = []
    append = sentences.append
    hangul_in = _HANGUL.search
    latin_in = _LATIN.search
    for m in _SENTENCE.finditer(masked):
        text = m.group()
        # Almost every sentence is one piece: no generator for it.
        pieces = _pieces(m.start(), text) if len(text) > MAX_SENTENCE else ((m.start(), text),)
        for start, piece in pieces:
            if not piece or piece.isspace():
                continue
            # ASCII holds no Hangul: most English sentences are not scanned for it.
            hangul = not piece.isascii() and hangul_in(piece) is not None
            if not hangul and latin_in(piece) is None:
                continue  # numbers, emoji, punctuation: nothing to judge
            append(_new_tuple(Sentence, (piece, start, hangul)))
    return sentences


def _pieces(start, text):
    """``text`` cut at spaces into pieces of at most MAX_SENTENCE characters."""
    while len(text) > MAX_SENTENCE:
        cut = text.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE)
        cut = cut if cut > 0 else MAX_SENTENCE
        yield start, text[:cut]
        start, text = start + cut, text[cut:]
    yield start, text
