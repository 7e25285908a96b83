"""The hints fragment written in Python prints what ``partials/_blame_hints.html`` printed:
the template as it was is rendered beside it, in English and Korean, with and without the
"Not blame" controls, with text that needs escaping."""

from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from postmortems.blame import find_blame
from postmortems.hints_html import hints_html
from postmortems.language import RULES
from postmortems.views.lint import highlight

# partials/_blame_hints.html as it was (its comment left out).
_TEMPLATE = (
    "{% load i18n %}{% url 'postmortems:blameless_guide' as guide_url %}\n"
    '<div class="blame-hints small" aria-live="polite" data-count="{{ findings|length'
    ' }}"{% if field %} data-field="{{ field }}"{% endif %}>\n'
    "  {% if error %}\n"
    '  <p class="text-danger mb-0" role="alert">{{ error }}</p>\n'
    "  {% elif not findings %}\n"
    '  <p class="text-success mb-0">{% translate "No blaming language found." %}</p>\n'
    "  {% else %}\n"
    '  <p class="mb-1">\n'
    "    <strong>{% blocktranslate trimmed count counter=findings|length %}{{ counter"
    " }} phrase may read as blame.{% plural %}{{ counter }} phrases may read as blame"
    ".{% endblocktranslate %}</strong>\n"
    '    <a href="{{ guide_url }}">{% translate "Writing blamelessly" %}</a>\n'
    "  </p>\n"
    '  <div class="blame-hints-text border rounded p-2 mb-2 bg-body-tertiary overflow'
    '-auto">{% for piece, number in pieces %}{% if number %}<mark title="{{ piece }}"'
    '>{{ piece }}<sup aria-hidden="true">{{ number }}</sup></mark>{% else %}{{ piece '
    "}}{% endif %}{% endfor %}</div>\n"
    '  <ol class="blame-hints-list mb-0 ps-3">\n'
    "    {% for number, finding, title, sentence in findings %}\n"
    '    <li value="{{ number }}" data-rule="{{ finding.rule }}">\n'
    "      <mark>{{ finding.phrase }}</mark> — <strong>{{ title }}</strong>.\n"
    "      {{ finding.message }}\n"
    '      <br><span class="text-body-secondary">{% translate "Try:" %} {{ finding.su'
    "ggestion }}</span>\n"
    '      <a href="{{ guide_url }}#rule-{{ finding.rule }}">{% translate "Why and ho'
    'w" %}<span class="visually-hidden"> ({{ title }})</span></a>\n'
    "      {% if postmortem and sentence %}\n"
    "      {# Not a <form>: the hints sit inside the editor's form, and forms cannot "
    "nest. The #}\n"
    '      {# inputs belong to no form (form="…" names none), htmx posts them from he'
    "re. #}\n"
    '      <div class="blame-dismiss d-flex flex-wrap gap-1 align-items-center mt-1">'
    "\n"
    '        <input type="hidden" form="blame-dismiss-none" name="rule" value="{{ fin'
    'ding.rule }}">\n'
    '        <input type="hidden" form="blame-dismiss-none" name="phrase" value="{{ f'
    'inding.phrase }}">\n'
    '        <input type="hidden" form="blame-dismiss-none" name="sentence" value="{{'
    ' sentence }}">\n'
    '        <input type="hidden" form="blame-dismiss-none" name="location" value="{{'
    ' location }}">\n'
    '        <label class="visually-hidden" for="dismiss-reason-{{ field|slugify }}-{'
    '{ number }}">{% translate "Why is it not blame? (optional)" %}</label>\n'
    '        <input type="text" form="blame-dismiss-none" name="reason" id="dismiss-r'
    'eason-{{ field|slugify }}-{{ number }}" maxlength="300" autocomplete="off"\n'
    '               class="form-control form-control-sm w-auto" placeholder="{% trans'
    "late 'Reason (optional)' %}\">\n"
    '        <button type="button" class="btn btn-sm btn-outline-secondary"\n'
    "                hx-post=\"{% url 'postmortems:blame_dismiss' postmortem.pk %}\" hx"
    '-include="closest .blame-dismiss"\n'
    '                hx-target="closest li" hx-swap="outerHTML">{% translate "Not bla'
    'me" %}<span class="visually-hidden"> ({{ finding.phrase }})</span></button>\n'
    "      </div>\n"
    "      {% endif %}\n"
    "    </li>\n"
    "    {% endfor %}\n"
    "  </ol>\n"
    "  {% endif %}\n"
    "</div>\n"
)

TEXT = (
    'Bob should have checked <script>alert("x")</script> & the "lag". '
    "Root cause: human error.\n\n담당자가 설정을 확인하지 않았다. It's fine."
)


def _context(postmortem=None, field="summary", location="section:summary", text=TEXT):
    findings = find_blame(text, people={"bob"})
    sentences = ["the sentence <b>" if n % 2 else "" for n in range(len(findings))]
    return {
        "field": field,
        "findings": [
            (number, f, RULES[f.rule].title, sentences[number - 1])
            for number, f in enumerate(findings, start=1)
        ],
        "pieces": highlight(text, findings) if findings else [],
        "postmortem": postmortem,
        "location": location,
    }


def _both(context):
    old = engines["django"].from_string(_TEMPLATE).render(dict(context))
    return old, str(hints_html(**context))


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize(
    "context",
    [
        pytest.param(lambda: _context(), id="hints"),
        pytest.param(
            lambda: _context(SimpleNamespace(pk=7), field="What <went> well", location='x"y'),
            id="hints-with-not-blame",
        ),
        pytest.param(lambda: _context(field=""), id="no-field"),
        pytest.param(lambda: _context(text="The deploy went out at 10:00."), id="no-hints"),
        pytest.param(
            lambda: {"error": "Too <long>", "field": "summary", "findings": [], "pieces": []},
            id="error",
        ),
    ],
)
def test_the_fragment_is_what_the_template_printed(language, context):
    with translation.override(language):
        values = context()
        old, new = _both(values)
    assert new == old
    if values["findings"]:
        assert "&lt;script&gt;" in new and "<script>" not in new
        assert new.count("<li ") == len(values["findings"])
