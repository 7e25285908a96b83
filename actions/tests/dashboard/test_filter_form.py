"""The dashboard's filter form written in Python (``actions.dashboard.filter_form``)
prints what its template printed, whatever the filters, in both languages."""

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from actions.dashboard.filter_form import SHORT_LISTS, filter_form_html, short_lists
from actions.dashboard.options import choice_options_html, options_html
from actions.forms import DashboardFilterForm

# ``_dashboard_filters.html`` as it was.
OLD_TEMPLATE = """{% load i18n l10n %}
{# The filter form: rendered once per query string and cached (see actions.views.dashboard). #}
{# A <details> folds the filters away on a phone without JavaScript; app.js opens it on wide screens. #}
<details class="dashboard-filters card mb-4" data-open-when-wide{% if active_filters %} open{% endif %}>
<summary class="card-header">{% translate "Filters" %}{% if active_filters %} <span class="badge text-bg-primary">{% blocktranslate count counter=active_filters %}{{ counter }} active{% plural %}{{ counter }} active{% endblocktranslate %}</span>{% endif %}</summary>
<form method="get" action="{% url 'actions:dashboard' %}" class="card-body" aria-label="{% translate 'Filters' %}">
  <div class="row g-2">
    <div class="col-md-4">
      <label class="form-label small" for="f-q">{% translate "Search" %}</label>
      <input class="form-control form-control-sm" type="search" id="f-q" name="q" value="{{ filters.q|default:'' }}">
    </div>
    <div class="col-md-2">
      <label class="form-label small" for="f-team">{% translate "Team" %}</label>
      <select class="form-select form-select-sm" id="f-team" name="team">
        <option value="">{% translate "Any" %}</option>
        {{ team_options }}
      </select>
    </div>
    <div class="col-md-2">
      <label class="form-label small" for="f-assignee">{% translate "Assignee" %}</label>
      {# A username; with JavaScript the people matching what is typed are offered (htmx). #}
      <input class="form-control form-control-sm" type="search" id="f-assignee" name="assignee_username" value="{{ assignee_username }}" maxlength="150" autocomplete="off" placeholder="{% translate 'Username' %}" list="f-assignee-people" hx-get="{% url 'actions:assignee_options' %}" hx-trigger="input changed delay:250ms" hx-target="#f-assignee-people" hx-swap="innerHTML" hx-sync="this:replace">
      <datalist id="f-assignee-people"></datalist>
    </div>
    <div class="col-md-2">
      <label class="form-label small" for="f-priority">{% translate "Priority" %}</label>
      <select class="form-select form-select-sm" id="f-priority" name="priority">
        {{ priority_options }}
      </select>
    </div>
    <div class="col-md-2">
      <label class="form-label small" for="f-kind">{% translate "Kind" %}</label>
      <select class="form-select form-select-sm" id="f-kind" name="kind">
        {{ kind_options }}
      </select>
    </div>
    <fieldset class="col-md-4">
      <legend class="form-label small mb-1">{% translate "Status" %}</legend>
      {% for value, label in form.fields.status.choices %}
      <div class="form-check form-check-inline">
        <input class="form-check-input" type="checkbox" name="status" value="{{ value }}" id="f-status-{{ value }}"{% if value in filters.status %} checked{% endif %}>
        <label class="form-check-label small" for="f-status-{{ value }}">{{ label }}</label>
      </div>
      {% endfor %}
    </fieldset>
    <div class="col-md-2">
      <label class="form-label small" for="f-severity">{% translate "Severity" %}</label>
      <select class="form-select form-select-sm" id="f-severity" name="severity">
        {{ severity_options }}
      </select>
    </div>
    <div class="col-md-2">
      <label class="form-label small" for="f-due-within">{% translate "Due within (days)" %}</label>
      <input class="form-control form-control-sm" type="number" min="0" max="3650" id="f-due-within" name="due_within" value="{% if filters.due_within is not None %}{{ filters.due_within|unlocalize }}{% endif %}">
    </div>
    <div class="col-md-2 d-flex align-items-end">
      <div class="form-check">
        <input class="form-check-input" type="checkbox" name="overdue" value="1" id="f-overdue"{% if filters.overdue %} checked{% endif %}>
        <label class="form-check-label small" for="f-overdue">{% translate "Overdue only" %}</label>
      </div>
    </div>
    <div class="col-md-2">
      <label class="form-label small" for="f-sort">{% translate "Sort" %}</label>
      <select class="form-select form-select-sm" id="f-sort" name="sort">
        {{ sort_options }}
      </select>
    </div>
    <div class="col-6 col-md-3">
      <label class="form-label small" for="f-created-from">{% translate "Created from" %}</label>
      <input class="form-control form-control-sm" type="date" id="f-created-from" name="created_from" value="{{ filters.created_from|date:'Y-m-d' }}">
    </div>
    <div class="col-6 col-md-3">
      <label class="form-label small" for="f-created-to">{% translate "Created to" %}</label>
      <input class="form-control form-control-sm" type="date" id="f-created-to" name="created_to" value="{{ filters.created_to|date:'Y-m-d' }}">
    </div>
    <div class="col-6 col-md-3">
      <label class="form-label small" for="f-closed-from">{% translate "Closed from" %}</label>
      <input class="form-control form-control-sm" type="date" id="f-closed-from" name="closed_from" value="{{ filters.closed_from|date:'Y-m-d' }}">
    </div>
    <div class="col-6 col-md-3">
      <label class="form-label small" for="f-closed-to">{% translate "Closed to" %}</label>
      <input class="form-control form-control-sm" type="date" id="f-closed-to" name="closed_to" value="{{ filters.closed_to|date:'Y-m-d' }}">
    </div>
  </div>
  <div class="mt-3 d-flex gap-2">
    <button type="submit" class="btn btn-primary btn-sm">{% translate "Apply filters" %}</button>
    <a class="btn btn-link btn-sm" href="{% url 'actions:dashboard' %}">{% translate "Clear" %}</a>
  </div>
</form>
</details>
"""  # noqa: E501

QUERIES = [
    "",
    "sort=-title",
    "q=%3Cb%3E%22x%22+%26+y&team=2&priority=high&kind=fix&status=open&status=done&overdue=1"
    "&due_within=0&created_from=2026-01-02&created_to=2026-02-03&closed_from=2025-12-01"
    "&closed_to=2025-12-31&sort=-due_date&severity=SEV1",
    "due_within=14&assignee_username=dana%3C&status=blocked",
    "due_within=x&created_from=bad&team=zz&priority=nope&status=wrong",
]


def _inputs(query):
    form = DashboardFilterForm(QueryDict(query))
    filters = form.filters()
    teams = [(1, "Ads & <Media>"), (2, "결제")]
    return (
        form,
        filters,
        {
            "filters": filters,
            "active_filters": sum(
                1
                for name, value in filters.items()
                if name != "sort" and value is not False and value != []
            ),
            "team_options": options_html(teams, filters.get("team")),
            "assignee_username": filters.get("assignee_username", ""),
            **{
                f"{name}_options": choice_options_html(form.fields[name].choices, filters.get(name))
                for name in ("priority", "kind", "severity", "sort")
            },
        },
    )


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_filter_form_is_the_one_the_template_printed(query, language):
    with translation.override(language):
        form, _filters, values = _inputs(query)
        old = engines["django"].from_string(OLD_TEMPLATE).render({"form": form, **values})
        new = filter_form_html(status_choices=form.fields["status"].choices, **values)
    assert new == old


def test_the_korean_form_is_translated():
    with translation.override("ko"):
        form, _filters, values = _inputs("overdue=1")
        html = filter_form_html(status_choices=form.fields["status"].choices, **values)
    for english in ("Filters", "Apply filters", "Overdue only", "1 active", ">Open<"):
        assert english not in html


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_views_short_lists_are_the_forms_choices_in_the_active_language(language):
    with translation.override(language):
        form = DashboardFilterForm(QueryDict(""))
        expected = {
            name: [(value, str(label)) for value, label in form.fields[name].choices]
            for name in SHORT_LISTS
        }
        assert short_lists(translation.get_language()) == expected


def test_the_forms_words_and_lists_follow_the_language_of_each_request():
    # Kept per language for the process: each language still gets its own words.
    for language, english in (("en", True), ("ko", False), ("en", True)):
        with translation.override(language):
            _form, _filters, values = _inputs("status=open")
            choices = short_lists(translation.get_language())
            html = filter_form_html(status_choices=choices["status"], **values)
        assert ("Apply filters" in html) is english
        assert (">Open<" in html) is english
        assert ("Open first, by due date ▲" in str(choices["sort"])) is english
