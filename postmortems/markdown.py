"""Markdown to safe HTML.

markdown-it-py is a CommonMark parser whose work grows linearly with the input, so no text
within the size limits can tie up a worker (Python-Markdown's link parser is quadratic:
``"[" * 4000`` took 1.6 s). It passes raw HTML through (``<script>``, ``onerror=``), so its
output always goes through nh3's allow-list before it is stored or shown.

Users may not restyle the page: no ``class``, ``style`` or ``id`` gets through, except a
code block's ``language-…`` class, which matches a fixed pattern no stylesheet of ours uses.
Table alignment becomes the ``align`` attribute instead of an inline style.

Raw HTML is kept only for inline formatting and the few tags Markdown has no syntax for
(``<kbd>``, ``<sub>``, ``<details>`` …); any other tag is dropped and the text around it
kept. Besides being all a write-up
needs, this keeps the sanitiser fast: html5ever slows down sharply on thousands of nested
``<div>`` or ``<ul><li>`` (0.34 s for 5,000), which Markdown itself cannot produce past the
parser's nesting limit.
"""

import re

import nh3
from markdown_it import MarkdownIt

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
# Tags a writer may type as raw HTML: inline formatting, and what Markdown has no syntax for.
RAW_HTML_TAGS = {
    "abbr",
    "b",
    "br",
    "code",
    "del",
    "details",
    "em",
    "i",
    "kbd",
    "s",
    "strong",
    "sub",
    "summary",
    "sup",
}
# How deep quotes and lists may nest (markdown-it's CommonMark default).
MAX_BLOCK_NESTING = 20
# How deep inline parsing may recurse (an image inside a link needs 2). Every "[" makes the
# link parser look ahead up to this many levels, so it multiplies the work per character:
# "![" * 25,000 takes 0.65 s at 20 and about 0.2 s at 3.
MAX_INLINE_NESTING = 3
CODE_LANGUAGE_CLASS = re.compile(r"language-[a-z0-9+-]{1,20}")
_TEXT_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


def _align_cells(state):
    """Turn the table plugin's ``style="text-align:…"`` into ``align``, which nh3 can allow
    by value, so no ``style`` attribute ever needs to be let through."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs:
            match = _TEXT_ALIGN.fullmatch(str(token.attrs.pop("style", "")))
            if match:
                token.attrs["align"] = match.group(1)


_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)|<!--|<\?|<!\[CDATA\[|<![A-Za-z]")
# "[^<>]" rather than "[^>]": a scan from one "<" stops at the next, so text full of
# unclosed "<" is still read in linear time.
_WHOLE_TAG = re.compile(r"<[^<>]*>")


def _drop_other_raw_html(state):
    """Keep raw HTML only when every tag in it is one of ``RAW_HTML_TAGS``; drop any other
    tag (``<div>``, ``<script>``, comments, nested lists) and keep the text between them,
    as the sanitiser would have done."""
    for token in state.tokens:
        if token.type == "html_block" and not _only_raw_tags(token.content):
            text = _WHOLE_TAG.sub("", token.content).replace("<", "&lt;").replace(">", "&gt;")
            token.content = f"<p>{text}</p>" if text.strip() else ""
        for child in token.children or ():
            if child.type == "html_inline" and not _only_raw_tags(child.content):
                child.type, child.content = "text", ""


def _only_raw_tags(html):
    for match in _TAG_NAME.finditer(html):
        name = match.group(1)
        if name is None or name.lower() not in RAW_HTML_TAGS:
            return False
    return True


def _parser(max_nesting):
    # "html": raw HTML is parsed (then filtered and sanitised) as Python-Markdown did, so
    # <kbd> and <details> keep working; "breaks": a newline is a line break, as people type.
    parser = MarkdownIt("commonmark", {"html": True, "breaks": True, "maxNesting": max_nesting})
    # markdown-it leaves "[x](javascript:…)" as literal text; make it a link and let nh3's
    # URL schemes decide, so one allow-list is the only judge of what a link may point at.
    parser.validateLink = lambda url: True
    return parser.enable(["table", "strikethrough"])


# One parser for inlines with the low nesting limit, one for blocks that hands it the
# inline content; markdown-it has a single limit for both.
_INLINE_PARSER = _parser(MAX_INLINE_NESTING)


def _parse_inlines(state):
    for token in state.tokens:
        if token.type == "inline":
            token.children = []
            _INLINE_PARSER.inline.parse(token.content, _INLINE_PARSER, state.env, token.children)


_PARSER = _parser(MAX_BLOCK_NESTING)
_PARSER.core.ruler.at("inline", _parse_inlines)
_PARSER.core.ruler.after("block", "align_cells", _align_cells)
_PARSER.core.ruler.after("inline", "drop_other_raw_html", _drop_other_raw_html)


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


def render(text):
    """Render user Markdown to sanitised HTML (safe to mark safe in templates)."""
    if not text:
        return ""
    return sanitise(_PARSER.render(text)).strip()
