"""No Markdown within the size limits can tie up a worker.

Render time is not asserted (``make bench`` compares it with the 250 ms target); what is
asserted is linear growth, counted deterministically: the sanitiser sees output that grows
with the input, and the nesting guard does work in proportion to it. A quadratic parser
is caught by the generous time guard, ten times the target, at every field's limit.
"""

import time

import pytest

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
    real_findall = markdown._TAG.findall

    class CountingTag:
        def findall(self, html):
            found = real_findall(html)
            tags.append(len(found))
            return found

    monkeypatch.setattr(markdown, "_TAG", CountingTag())

    def guard_work(size):
        tags.clear()
        render(ADVERSARIAL[name](size))
        return sum(tags)

    assert guard_work(20_000) <= 5 * guard_work(5_000) + 1_000


def test_deep_nesting_is_rendered_flat_instead_of_handed_to_the_sanitiser():
    html = render(ADVERSARIAL["deep quote"](50_000))
    assert "<blockquote>" not in html and html.startswith("<p>&gt; &gt;")


def test_unmatched_end_tags_do_not_hide_nesting():
    assert markdown._too_deep("<span></x>" * (markdown.MAX_NESTING + 1))
    assert not markdown._too_deep("<span></span>" * 1_000)
