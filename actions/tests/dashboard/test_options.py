"""The filter form's ``<option>`` lists."""

from django.utils.html import format_html_join

from actions.dashboard.options import choice_options_html, options_html

CHOICES = [(1, "Payments"), (2, '<script>alert("x")</script> & co'), (3, "김민수 (kim)")]


def test_options_escape_labels_and_mark_the_selected_one():
    html = options_html(CHOICES, 2)
    assert '<option value="2" selected>&lt;script&gt;alert(&quot;x&quot;)' in html
    assert "<script>" not in html
    assert html.count(" selected") == 1


def test_options_are_what_format_html_would_give():
    expected = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((pk, " selected" if pk == 3 else "", label) for pk, label in CHOICES),
    )
    assert options_html(CHOICES, 3) == expected
    assert options_html([], None) == ""


def test_short_lists_mark_the_chosen_value_and_escape_like_the_template():
    choices = [("", "Any"), ("P1", "P1 <urgent>"), ("P2", "P2")]
    html = choice_options_html(choices, "P1")
    assert html == (
        '<option value="">Any</option>'
        '<option value="P1" selected>P1 &lt;urgent&gt;</option>'
        '<option value="P2">P2</option>'
    )
    # Nothing chosen: no option is marked (the browser shows the first, "Any").
    assert " selected" not in choice_options_html(choices, None)
