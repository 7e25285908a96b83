"""No Markdown within the size limits can tie up a worker.

Render time is not asserted (``make bench`` compares it with the 250 ms target); what is
asserted is linear growth, counted deterministically: the sanitiser sees output that grows
with the input, and the nesting guard does work in proportion to it. A quadratic parser
is caught by the generous time guard, ten times the target, at every field's limit.
"""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortems import markdown
from postmortems.markdown import render
from tests.bench.markdown import ADVERSARIAL, TARGET_MS, field_limits

GUARD_SECONDS = TARGET_MS * 10 / 1000


@pytest.fixture(scope="module")
def largest_limit():
    return max(field_limits().values())


def test_every_markdown_field_has_a_limit_the_inputs_are_measured_at():
    limits = field_limits()
    assert set(limits) == {
        "postmortem section",
        "timeline event",
        "contributing factor",
        "review comment",
        "action item notes",
        "Kaizen review notes",
    }
    assert all(10_000 <= size <= 100_000 for size in limits.values())


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_input_at_the_largest_limit_renders_within_the_guard(name, largest_limit):
    text = ADVERSARIAL[name](largest_limit)
    began = time.perf_counter()
    render(text)
    assert time.perf_counter() - began < GUARD_SECONDS


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_adversarial_output_grows_linearly_with_the_input(name):
    small, large = (render(ADVERSARIAL[name](size)) for size in (5_000, 20_000))
    # 4× the input: linear output is about 4× (plus a constant); 16× would be quadratic.
    assert len(large) <= 5 * len(small) + 1_000


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_nesting_guard_work_grows_linearly(name, monkeypatch):
    tags = []
    real_tag = markdown._TAG

    class CountingTag:
        def finditer(self, html):
            for match in real_tag.finditer(html):
                tags.append(1)
                yield match

    monkeypatch.setattr(markdown, "_TAG", CountingTag())

    def guard_work(size):
        tags.clear()
        render(ADVERSARIAL[name](size))
        return len(tags)

    assert guard_work(20_000) <= 5 * guard_work(5_000) + 1_000


def test_deep_nesting_is_rendered_flat_instead_of_handed_to_the_sanitiser():
    html = render(ADVERSARIAL["deep quote"](50_000))
    assert "<blockquote>" not in html and html.startswith("<p>&gt; &gt;")


def test_unmatched_end_tags_do_not_hide_nesting():
    assert markdown._too_deep("<span></x>" * (markdown.MAX_NESTING + 1))


def test_the_nesting_guard_walks_a_table_row_not_every_cell(monkeypatch):
    walked = []
    real_deepest = markdown._deepest
    monkeypatch.setattr(
        markdown, "_deepest", lambda html, limit: walked.append(html) or real_deepest(html, limit)
    )
    rows = "<tr>\n" + "<td>a</td>\n" * 4 + "</tr>\n"
    assert not markdown._too_deep("<table>\n<tbody>\n" + rows * 500 + "</tbody>\n</table>\n")
    assert len(walked) == 1 and walked[0].count("<td>") == 0


# Tag soup: elements kept or dropped, void, self-closing, unmatched, mixed case, and the
# near-misses ("<b", "<bx>", "<>") whose text must not join into a tag when others go.
TAG_SOUP = st.lists(
    st.sampled_from(
        [
            "<b>",
            "</b>",
            "<B>",
            "</b >",
            "<i>",
            "</i>",
            "<span>",
            "</span>",
            "<span/>",
            "<td class='a'>",
            "</td>",
            "<br>",
            "<BR />",
            "</br>",
            "<hr>",
            "<ul>",
            "</ul>",
            "<bx>",
            "</bx>",
            "<b-1>",
            "<b",
            "</",
            "<",
            ">",
            "<>",
            "/",
            "x",
            "\n",
            "<!--",
            "-->",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=2_000, deadline=None)
@given(html=TAG_SOUP, limit=st.integers(min_value=0, max_value=6))
def test_the_nesting_guard_agrees_with_a_walk_of_every_tag(html, limit):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markdown, "MAX_NESTING", limit)
        assert markdown._too_deep(html) == (markdown._deepest(html, limit) > limit)
    assert not markdown._too_deep("<span></span>" * 1_000)
