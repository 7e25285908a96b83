"""Every user-visible text in a template is marked for translation.

Template tags, variables and comments are removed, the rest is parsed as HTML, and any
text node or user-visible attribute (aria-label, placeholder, title, alt) that still
contains letters is reported. Product names and units need no translation.
"""

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
ALLOWED_WORDS = {
    "Hindsight",
    "Slack",
    "Markdown",
    "CSV",
    "SEV1",
    "SEV2",
    "SEV3",
    "SEV4",
    "P1",
    "P2",
    "P3",
    "P4",
    "UTC",
    "MTTD",
    "MTTR",
    "p50",
    "p90",
    "p95",
    "Kaizen",
    "htmx",
    "URL",
    "ID",
    "h",
    "m",
    "d",
    "s",
    "min",
    "x",
    "vs",
    "OK",
    "Ctrl",
    "Enter",
    "Esc",
    "Tab",
    "UTF",
    "ISO",
}
VISIBLE_ATTRS = {"aria-label", "placeholder", "title", "alt"}

BLOCK_TRANSLATE = re.compile(
    r"{%\s*(blocktranslate|blocktrans)\b.*?%}.*?{%\s*(endblocktranslate|endblocktrans)\s*%}", re.S
)
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _has_words(text):
    for word in re.split(r"[\s/·—–:,.()\[\]%+#|…→←↑↓✓×-]+", text):
        if not word or word in ALLOWED_WORDS:
            continue
        if any(unicodedata.category(ch).startswith("L") for ch in word):
            return True
    return False


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRS and value and _has_words(value):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and _has_words(data):
            self.found.append(data.strip())


def _unmarked(source):
    source = COMMENT_BLOCK.sub("", source)
    source = BLOCK_TRANSLATE.sub("", source)
    source = TAG.sub(" ", source)
    source = HTML_COMMENT.sub("", source)
    collector = _Collector()
    collector.feed(source)
    return collector.found


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(directory.rglob("*.html"))


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_template_text_is_marked_for_translation(path):
    assert _unmarked(path.read_text(encoding="utf-8")) == []


def test_the_check_catches_unmarked_text():
    assert _unmarked("<p>Save changes</p>") == ["Save changes"]
    assert _unmarked('<input placeholder="Search">') == ["<input placeholder='Search'>"]
    assert _unmarked("<p>{% translate 'Save' %} {{ count }} · SEV1</p>") == []
