"""Adversarial Markdown: inputs that made Python-Markdown quadratic, and their render time.

``python -m tests.bench.markdown`` prints the table alone (no database needed);
``make bench`` includes it. ``postmortems/tests/test_markdown_adversarial.py`` checks the
same inputs grow linearly.
"""

import statistics
import time

TARGET_MS = 250.0


def _repeat(unit, size, *, prefix="", suffix=""):
    body = size - len(prefix) - len(suffix)
    return prefix + (unit * (body // len(unit) + 1))[:body] + suffix


def _nested_list(size):
    lines, depth = [], 0
    while sum(len(line) + 1 for line in lines) < size:
        lines.append("  " * (depth % 500) + "- item")
        depth += 1
    return "\n".join(lines)[:size]


# name -> function(size) -> text of exactly (or about) ``size`` characters.
ADVERSARIAL = {
    "unmatched [": lambda n: _repeat("[", n),
    "unmatched ![": lambda n: _repeat("![", n),
    "[ then one ]": lambda n: _repeat("[", n, suffix="]"),
    "![ then an image": lambda n: _repeat("![", n, suffix="](x)"),
    "[a] words": lambda n: _repeat("[a", n),
    "nested [[…]]": lambda n: "[" * (n // 2) + "]" * (n - n // 2),
    "unclosed links [a](": lambda n: _repeat("[a](", n),
    "link chain [a](b)": lambda n: _repeat("[a](b)", n),
    "links to a definition": lambda n: _repeat("[a]", n, prefix="[a]: /x\n\n"),
    "nested emphasis": lambda n: _repeat("*a **b ", n),
    "emphasis runs": lambda n: _repeat("*_", n),
    "strikethrough runs": lambda n: _repeat("~~a ", n),
    "deep quote": lambda n: _repeat("> ", n),
    "quote per line": lambda n: _repeat(">\n", n),
    "deep list on one line": lambda n: _repeat("- ", n),
    "nested list lines": _nested_list,
    "backticks": lambda n: _repeat("`", n),
    "backtick runs": lambda n: _repeat("`a``", n),
    "unclosed tags": lambda n: _repeat("<a ", n),
    "lone <": lambda n: _repeat("<", n),
    "nested kept tags": lambda n: _repeat("<b><i>", n),
    "nested blocks": lambda n: _repeat("<ul><li>", n),
    "unmatched end tags": lambda n: _repeat("<span></x>", n),
    "details and quotes": lambda n: _repeat("<details>\n> ", n),
    "comments": lambda n: _repeat("<!--", n),
    "entities": lambda n: _repeat("&#", n),
    "escapes": lambda n: _repeat("\\[", n),
    "autolink openers": lambda n: _repeat("<http://a", n),
    "many small cells": lambda n: _repeat("|a|a|a|a\n", n, prefix="|a|a|a|a\n|-|-|-|-\n"),
    "wide table": lambda n: _repeat("|\n", n, prefix="|a" * 250 + "\n" + "|-" * 250 + "\n"),
}


def field_limits():
    """Every Markdown field with the size its form and service allow.

    The caps are settings the forms apply when they are built, so the class-level fields
    carry no ``max_length``; read the settings themselves.
    """
    from django.conf import settings

    return {
        "postmortem section": settings.POSTMORTEM_SECTION_MAX_CHARS,
        "timeline event": settings.TIMELINE_EVENT_MAX_CHARS,
        "contributing factor": settings.FACTOR_MAX_CHARS,
        "review comment": settings.COMMENT_MAX_CHARS,
        "action item notes": settings.ACTION_ITEM_NOTES_MAX_CHARS,
        "Kaizen review notes": settings.KAIZEN_REVIEW_NOTES_MAX_CHARS,
    }


def _render_ms(render, text, runs):
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        render(text)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def adversarial_figures(runs=3):
    """Median render time of every adversarial input at every field's size limit."""
    from postmortems.markdown import render

    limits = field_limits()
    by_size = {}
    for size in sorted(set(limits.values())):
        times = {name: _render_ms(render, make(size), runs) for name, make in ADVERSARIAL.items()}
        worst = max(times, key=times.get)
        by_size[size] = {"worst_input": worst, "worst_ms": times[worst], "ms": times}
    worst_size = max(by_size, key=lambda size: by_size[size]["worst_ms"])
    return {
        "fields": limits,
        "by_size": by_size,
        "worst_ms": by_size[worst_size]["worst_ms"],
        "worst_input": by_size[worst_size]["worst_input"],
        "worst_size": worst_size,
        "target_ms": TARGET_MS,
        "runs": runs,
    }


def render_table(figures):
    lines = [f"adversarial Markdown (median of {figures['runs']} renders):"]
    for size, entry in figures["by_size"].items():
        fields = ", ".join(name for name, limit in figures["fields"].items() if limit == size)
        mark = "PASS" if entry["worst_ms"] <= figures["target_ms"] else "FAIL"
        lines.append(
            f"  {size:>7} chars ({fields}): worst {entry['worst_ms']:.0f} ms "
            f"({entry['worst_input']}) {mark}"
        )
    return "\n".join(lines)


def main():
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    django.setup()
    figures = adversarial_figures()
    print(render_table(figures))
    mark = "PASS" if figures["worst_ms"] <= TARGET_MS else "FAIL"
    print(
        f"  {mark}  worst adversarial Markdown render ≤{TARGET_MS:g} ms: "
        f"{figures['worst_ms']:.0f} ms ({figures['worst_input']}, {figures['worst_size']} chars)"
    )


if __name__ == "__main__":
    main()
