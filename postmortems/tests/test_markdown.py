"""Markdown rendering keeps formatting and drops anything that could run script.

Vectors follow OWASP's XSS filter evasion cheat sheet: raw tags, event handlers, script
URLs in links and images (with case, entity and whitespace tricks), iframes, SVG and
style payloads.
"""

import re
from html.parser import HTMLParser

import pytest

from postmortems.markdown import render

VECTORS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<img src=x onerror=alert(1)//",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    '<a href="vbscript:msgbox(1)">x</a>',
    "<iframe src=\"javascript:alert('XSS');\"></iframe>",
    '<IFRAME SRC="https://example.com/"></IFRAME>',
    "<svg/onload=alert('XSS')>",
    '<svg><script xlink:href="data:,alert(1)"></script></svg>',
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x='20' y='20'>XSS</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</UL>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    '<p style="width: expression(alert(1))">x</p>',
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    '<BODY ONLOAD=alert("XSS")>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<details open ontoggle=alert(1)>",
    '<a href="https://example.com" onmouseover="alert(1)">hover</a>',
    '<<SCRIPT>alert("XSS");//<</SCRIPT>',
    "<base href=\"javascript:alert('XSS');//\">",
    '<input type="image" src="javascript:alert(1)">',
    "```\n</code></pre><script>alert(1)</script>\n```",
    '<code class="position-fixed w-100 h-100 top-0 start-0 bg-white">Session expired</code>',
    "```position-fixed w-100 h-100\nSession expired\n```",
    '<kbd style="position:fixed;inset:0" id="login" class="modal d-block">x</kbd>',
    '<details open class="position-fixed"><summary style="color:red">x</summary></details>',
]

SAFE_TAGS = {
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
SAFE_ATTRIBUTES = {"href", "title", "class", "align", "start", "rel"}
LANGUAGE_CLASS = re.compile(r"language-[a-z0-9+-]{1,20}")


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _elements(html):
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("vector", VECTORS)
def test_filter_evasion_vector_renders_harmless(vector):
    html = render(vector)
    for tag, attrs in _elements(html):
        assert tag in SAFE_TAGS, html
        assert set(attrs) <= SAFE_ATTRIBUTES, html
        assert "class" not in attrs or LANGUAGE_CLASS.fullmatch(attrs["class"]), html
        href = re.sub(r"[\x00-\x20]", "", attrs.get("href") or "").lower()
        assert not href.startswith(("javascript:", "vbscript:", "data:")), html
    # Whatever is left of a payload is text, shown escaped.
    assert "<script" not in html.lower()


def test_markdown_formatting_survives():
    html = render("# Title\n\n**bold** _em_ `code`\n\n- one\n- two\n\n> quote")
    for tag in ("<h1>", "<strong>bold</strong>", "<em>em</em>", "<code>code</code>", "<li>"):
        assert tag in html
    assert "<blockquote>" in html


def test_safe_links_keep_their_target_and_get_rel():
    html = render("[docs](https://example.com/runbook)")
    assert 'href="https://example.com/runbook"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_tables_render():
    html = render("| a | b |\n| --- | --- |\n| 1 | 2 |")
    assert "<table>" in html and "<td>1</td>" in html


def test_korean_text_is_kept():
    assert render("캐시 노드 **교체** 후") == "<p>캐시 노드 <strong>교체</strong> 후</p>"


def test_empty_text_renders_nothing():
    assert render("") == ""


def test_page_classes_cannot_reach_the_output():
    for text in (
        '<code class="position-fixed w-100 h-100">Sign in again</code>',
        '<span class="position-fixed w-100 h-100">Sign in again</span>',
        "```position-fixed w-100 h-100\nSign in again\n```",
        "``` position-fixed\tw-100 h-100\nSign in again\n```",
    ):
        html = render(text)
        assert "w-100" not in html and 'class="position-fixed' not in html, html


def test_code_blocks_keep_a_language_class_of_the_fixed_pattern():
    assert render("```Python\nx = 1\n```") == (
        '<pre><code class="language-python">x = 1\n</code></pre>'
    )


def test_an_overlong_language_name_gets_no_class():
    assert render(f"```{'x' * 21}\ny\n```") == "<pre><code>y\n</code></pre>"


def test_no_style_or_id_attribute_gets_through():
    html = render('<kbd style="position:fixed" id="x">k</kbd> <sub id="y">2</sub>')
    assert html == "<p><kbd>k</kbd> <sub>2</sub></p>"


def test_table_alignment_becomes_the_align_attribute():
    html = render("| a | b |\n| --: | :-: |\n| 1 | 2 |")
    assert '<th align="right">a</th>' in html and '<td align="center">2</td>' in html
    assert "style" not in html


def test_strikethrough_renders():
    assert render("~~gone~~") == "<p><del>gone</del></p>"


def test_a_newline_is_a_line_break():
    assert render("first\nsecond") == "<p>first<br>\nsecond</p>"


def test_angle_bracket_autolinks_become_links():
    html = render("<https://status.example.com>")
    assert 'href="https://status.example.com"' in html


def test_a_script_link_keeps_its_text_but_not_its_target():
    assert render("[runbook](javascript:alert(1))") == (
        '<p><a rel="noopener noreferrer nofollow">runbook</a></p>'
    )


def test_raw_html_for_what_markdown_cannot_express_is_kept():
    html = render(
        "Press <kbd>Ctrl</kbd>, H<sub>2</sub>O\n\n<details>\n<summary>Logs</summary>\n</details>"
    )
    for tag in ("<kbd>Ctrl</kbd>", "<sub>2</sub>", "<details>", "<summary>Logs</summary>"):
        assert tag in html


def test_other_raw_html_is_dropped_and_its_text_kept():
    assert render("<div>Checkout & cart</div>") == "Checkout &amp; cart"
    assert render("before <span>inside</span> after") == "<p>before inside after</p>"


def test_text_nested_beyond_the_limit_is_shown_as_plain_text():
    html = render("> " * 150 + "deep\n\nnext")
    assert "<blockquote>" not in html
    assert html.startswith("<p>&gt; &gt;") and html.endswith("<p>next</p>")


def test_ordinary_nesting_is_kept():
    assert render("> " * 20 + "deep").count("<blockquote>") == 20
