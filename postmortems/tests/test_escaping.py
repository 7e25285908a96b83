"""``esc`` writes what ``conditional_escape`` writes, for every kind of value the rows print."""

import datetime

import pytest
from django.utils.functional import lazy
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from postmortems.escaping import esc


@pytest.mark.parametrize(
    "value",
    [
        '<a href="x">Tom & Jerry\'s</a>',
        "",
        "담당자 <b>",
        5,
        -7,
        10**30,
        True,
        None,
        3.5,
        datetime.date(2026, 12, 4),
        mark_safe("<i>kept</i>"),
        gettext_lazy("Open"),
        lazy(lambda: mark_safe("<b>safe, lazily</b>"), SafeString)(),
        lazy(lambda: "<b>not safe, lazily</b>", str)(),
    ],
)
def test_esc_writes_what_conditional_escape_writes(value):
    assert esc(value) == str(conditional_escape(value))
