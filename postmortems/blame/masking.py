"""Blank out what the author is quoting or showing rather than saying.

Blockquotes, quotation marks of every kind (“…”, "…", ‘…’, '…', 「…」, 『…』), inline code,
fenced and indented code, and the targets of Markdown links and bare URLs (a slug such as
``human-error-caused-…`` is an address, not a sentence). Masked characters become spaces
and newlines stay, so the masked text has the same length and every offset still points
into the original.
"""

import re

# Possessive runs: a line of 100 000 backticks must not be retried once per length.
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}+|~{3,}+)[^\n]*+\n.*?(?:^[ ]{0,3}\1[^\n]*$|\Z)", re.M | re.S)
# Inline code stays on its line, so one stray backtick cannot hide the rest of a section.
# The opening run must start a run and is taken whole (possessive), so a line of a
# thousand backticks is rejected in one pass instead of once per backtick.
_INLINE_CODE = re.compile(r"(?<!`)(`++)[^\n`][^\n]*?(?<!`)\1(?!`)")
_BLOCKQUOTE = re.compile(r"^[ ]{0,3}>[^\n]*", re.M)
# A quotation holds no second opening mark of its kind: a run of openers with no closer
# is then rejected in one step per opener, not one scan of 400 characters each.
_DOUBLE_QUOTES = re.compile(
    r"\"[^\"\n]{1,400}\"|“[^”“\n]{1,400}”|「[^」「\n]{1,400}」|『[^』『\n]{1,400}』"
    r"|«[^»«\n]{1,400}»"
)
# A straight single quote is also an apostrophe ("don't", "Bob's"): only a quote that
# opens after a space or bracket and closes before a non-letter counts. Both branches
# start with the quote itself (the look-behind comes after it), so the engine skips to
# the next quote character instead of trying the pattern at every position.
_SINGLE_QUOTES = re.compile(r"‘[^’‘\n]{1,400}’|'(?<![\w']')(?=\S)[^'\n]{1,400}?(?<=\S)'(?!\w)")
_LINK_TARGET = re.compile(r"\]\([^)\s]{1,2000}(?:\s+\"[^\"\n]*\")?\)|<https?://[^>\s]{1,2000}>")
_BARE_URL = re.compile(r"\bhttps?://[^\s<>()\"']{1,2000}")
_INDENTED_LINE = re.compile(r"^(?:    |\t)", re.M)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
_MASKS = (
    (_FENCE, ("```", "~~~")),
    (_INLINE_CODE, ("`",)),
    (_BLOCKQUOTE, (">",)),
    (_LINK_TARGET, ("](", "<http")),
    (_BARE_URL, ("http",)),
    (_DOUBLE_QUOTES, ('"', "“", "「", "『", "«")),
    (_SINGLE_QUOTES, ("‘", "'")),
)


def _blank(chars, start, end):
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blanked(text, spans):
    """``text`` with each (start, end) span blanked, newlines kept: built from slices, not
    a list of 10 000 characters joined again after every pattern."""
    parts = []
    position = 0
    for start, end in spans:
        parts.append(text[position:start])
        piece = text[start:end]
        parts.append(_NOT_NEWLINE.sub(" ", piece) if "\n" in piece else " " * len(piece))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def mask(text: str) -> str:
    """``text`` with quotes, code and link targets replaced by spaces: same length."""
    current = text
    for pattern, marks in _MASKS:
        if not any(mark in current for mark in marks):
            continue
        spans = [m.span() for m in pattern.finditer(current)]
        if spans:
            current = _blanked(current, spans)
    # Only a line of ``text`` indented four spaces or a tab can be code; the spaces of
    # masked quotes often make "    " in ``current`` without one.
    if ("    " in current or "\t" in current) and _INDENTED_LINE.search(text):
        chars = list(current)
        _mask_indented_code(text, chars)
        current = "".join(chars)
    return current


def _mask_indented_code(text, chars):
    """Lines indented four spaces (or a tab) after a blank line, outside lists, are code."""
    pos = 0
    previous_blank = True
    in_code = False
    in_list = False
    for line in text.split("\n"):
        stripped = line.strip()
        indented = line.startswith(("    ", "\t"))
        if not stripped:
            previous_blank = True
        else:
            if _LIST_ITEM.match(line) and not indented:
                in_list = True
            elif not indented:
                in_list = False
            if indented and not in_list and (previous_blank or in_code):
                in_code = True
                _blank(chars, pos, pos + len(line))
            else:
                in_code = False
            previous_blank = False
        pos += len(line) + 1
