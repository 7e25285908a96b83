"""Markdown to safe HTML.

The parser is cmark-gfm (GitHub's C implementation of CommonMark, through ``cmarkgfm``),
which is linear in the input and hardened against pathological input. Python parsers are
too slow for the size limits: Python-Markdown's link parser is quadratic (``"[" * 4000``
took 1.6 s) and even linear markdown-it-py needs 0.8 s for a plain 50 kB list. Its output,
raw HTML included, always goes through nh3's allow-list before it is stored or shown.

Users may not restyle the page: no ``class``, ``style`` or ``id`` gets through, except a
code block's ``language-…`` class, which matches a fixed pattern no stylesheet of ours uses.

html5ever (inside nh3) slows down sharply on thousands of nested elements (2.5 s for
25,000 nested quotes), which no write-up needs: text nested deeper than
``MAX_NESTING`` elements is shown as plain text instead.
"""

import operator
import re
from html import escape

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "details",
    "dd",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "ol": {"start"},
}
ALLOWED_ATTRIBUTE_VALUES = {
    "th": {"align": {"left", "center", "right"}},
    "td": {"align": {"left", "center", "right"}},
}
URL_SCHEMES = {"http", "https", "mailto"}
CODE_LANGUAGE_CLASS = re.compile(r"language-[a-z0-9+-]{1,20}")

# UNSAFE: raw HTML is passed on (nh3 decides what stays), as Python-Markdown did, so
# <kbd>, <details> and <sub> keep working; HARDBREAKS: a newline is a line break.
OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_HARDBREAKS
EXTENSIONS = ["table", "strikethrough"]

MAX_NESTING = 100
# Elements without a closing tag do not nest.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
# "[^<>]" rather than "[^>]": a scan from one "<" stops at the next, so text full of
# unclosed "<" is still read in linear time.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_TAG_PARTS = operator.methodcaller("groups")


# An element opened and closed with no tag in between, and one that never nests (void or
# self-closing), leave the stack of open elements as they found it. Dropping them first
# leaves the walk below a few tags per table row or paragraph instead of one per cell or
# word. Each is replaced with "<>", which is no tag and cannot join the text on either
# side into one ("<b" + "<>" + ">" is not "<b>"); the walk reads "<>" as text. Names and
# the rest of a tag are read as ``_TAG`` reads them (a name is as long as it goes).
_NAME_END = r"(?![A-Za-z0-9-])"
_INNERMOST = re.compile(
    r"<(?:([A-Za-z][A-Za-z0-9-]*+)[^<>]*+"
    r"(?:(?<=/)>|>(?:[^<]++|<>)*+</(?i:\1)" + _NAME_END + r"[^<>]*+>)"
    r"|(?i:" + "|".join(sorted(_VOID)) + r")" + _NAME_END + r"[^<>]*+>)"
)
# At most this many passes of ``_INNERMOST`` (the second drops a table row once its cells
# are gone); a pass that drops little ends them.
_PASSES = 2


def _deepest(html, limit):
    """How deep the parser's stack of open elements gets, followed closely enough: an end
    tag pops up to its element, an end tag with no open element of its name is ignored
    (``<span></x>`` repeated still nests). Stops as soon as it passes ``limit``."""
    stack, open_names, deepest = [], {}, 0
    for closing, name, self_closing in map(_TAG_PARTS, _TAG.finditer(html)):
        name = name.lower()
        if not closing:
            if self_closing or name in _VOID:
                continue
            stack.append(name)
            open_names[name] = open_names.get(name, 0) + 1
            if len(stack) > deepest:
                deepest = len(stack)
                if deepest > limit:
                    break
        elif open_names.get(name):
            while True:
                popped = stack.pop()
                open_names[popped] -= 1
                if popped == name:
                    break
    return deepest


def _too_deep(html):
    """Whether the HTML nests deeper than ``MAX_NESTING``.

    Dropping innermost elements changes no depth but theirs, so a pass of ``_INNERMOST``
    lowers the deepest point by at most one: the reduced text decides unless its depth is
    within the number of passes of the limit, and then the full text does.
    """
    if html.count("<") <= MAX_NESTING:
        return False
    reduced, passes = html, 0
    while passes < _PASSES:
        reduced, dropped = _INNERMOST.subn("<>", reduced)
        passes += 1
        if dropped <= MAX_NESTING:
            break
    depth = _deepest(reduced, MAX_NESTING)
    if depth > MAX_NESTING:
        return True
    if depth + passes <= MAX_NESTING:
        return False
    return _deepest(html, MAX_NESTING) > MAX_NESTING


def _keep_attribute(element, attribute, value):
    if attribute == "class":
        value = value.strip().lower()
        return value if CODE_LANGUAGE_CLASS.fullmatch(value) else None
    return value


def sanitise(html):
    """The allow-list applied to everything ``render`` returns."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _plain(text):
    paragraphs = (p.strip("\n") for p in re.split(r"\n\s*\n", text))
    return "\n".join(
        f"<p>{escape(p).replace(chr(10), '<br>' + chr(10))}</p>" for p in paragraphs if p
    )


def render(text: str) -> str:
    """Render user Markdown to sanitised HTML (safe to mark safe in templates)."""
    if not text:
        return ""
    html = cmarkgfm.markdown_to_html_with_extensions(text, options=OPTIONS, extensions=EXTENSIONS)
    if _too_deep(html):
        html = _plain(text)
    return sanitise(html).strip()
