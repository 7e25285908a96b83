"""The sentence a finding is in, and the key that says two sentences are the same — what
a dismissal ("Not blame") is remembered by."""

import bisect
import hashlib
import re

from .masking import mask
from .sentences import split

_SPACE = re.compile(r"\s+")


def sentence_at(text: str, offset: int) -> str:
    """The sentence of ``text`` that holds ``offset``, as written (stripped)."""
    sentences = split(mask(text.replace("\x00", " ")))
    starts = [s.start for s in sentences]
    index = bisect.bisect_right(starts, offset) - 1
    if index < 0:
        return ""
    sentence = sentences[index]
    return text[sentence.start : sentence.start + len(sentence.text)].strip()


def sentence_key(sentence: str) -> str:
    """sha256 of the sentence with its whitespace collapsed (a re-wrapped line is the same
    sentence; any other edit makes it a new one)."""
    normal = _SPACE.sub(" ", sentence).strip()
    return hashlib.sha256(normal.encode()).hexdigest()
