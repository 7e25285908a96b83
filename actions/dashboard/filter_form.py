"""The dashboard's filter form written in Python, once per query string (it is cached with
the figures, see ``actions.views.dashboard``).

Some thirty template nodes (a ``{% translate %}`` per label, the status boxes' loop, the
fields' values through filters) were a good part of a cold dashboard's template time. The
markup is the one ``_dashboard_filters.html`` printed, every value escaped as ``{{ }}``
escapes it (``postmortems.page_rows.esc``); the option lists come written
(``options.options_html``, ``options.choice_options_html``).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop, ngettext

from postmortems.page_rows import esc
from postmortems.process_cache import per_process

from ..forms import DashboardFilterForm

# The form's words (translated once per language, ``_words``).
_LABELS = (
    gettext_noop("Filters"),
    gettext_noop("Search"),
    gettext_noop("Team"),
    gettext_noop("Any"),
    gettext_noop("Assignee"),
    gettext_noop("Username"),
    gettext_noop("Priority"),
    gettext_noop("Kind"),
    gettext_noop("Status"),
    gettext_noop("Severity"),
    gettext_noop("Due within (days)"),
    gettext_noop("Overdue only"),
    gettext_noop("Sort"),
    gettext_noop("Created from"),
    gettext_noop("Created to"),
    gettext_noop("Closed from"),
    gettext_noop("Closed to"),
    gettext_noop("Apply filters"),
    gettext_noop("Clear"),
)


# The form's words and short lists follow from the code and the active language alone
# (the message catalogs, which Django keeps for the process too): each was a lazy
# translation looked up on every cold dashboard, the sort list's sixteen among them.
@per_process(maxsize=16)
def _words(language: str | None) -> dict[str, str]:
    """The form's words in ``language``, the active one, escaped."""
    return {label: esc(gettext(label)) for label in _LABELS}


SHORT_LISTS = ("status", "priority", "kind", "severity", "sort")


@per_process(maxsize=16)
def short_lists(language: str | None) -> dict[str, list[tuple[Any, str]]]:
    """The choices of the form's ``SHORT_LISTS`` fields with their labels in ``language``,
    the active one, as plain strings."""
    fields: dict[str, Any] = DashboardFilterForm.base_fields  # choice fields, all five
    return {
        name: [(value, str(label)) for value, label in fields[name].choices] for name in SHORT_LISTS
    }


def _date(value: Any) -> str:
    """As ``{{ value|date:'Y-m-d' }}`` (empty for none)."""
    return esc(date_filter(value, "Y-m-d")) if value is not None else ""


def filter_form_html(
    *,
    filters: Mapping[str, Any],
    status_choices: Iterable[tuple[Any, Any]],
    active_filters: int,
    team_options: str,
    assignee_username: str,
    priority_options: str,
    kind_options: str,
    severity_options: str,
    sort_options: str,
) -> SafeString:
    """The filter form for the form's clean ``filters`` (the ``*_options``: written
    ``<option>`` elements)."""
    t = _words(get_language())
    dashboard = esc(reverse("actions:dashboard"))
    badge = ""
    if active_filters:
        active = ngettext("%(counter)s active", "%(counter)s active", active_filters) % {
            "counter": active_filters
        }
        badge = f' <span class="badge text-bg-primary">{active}</span>'
    statuses = filters.get("status") or ()
    boxes = "".join(
        '\n      <div class="form-check form-check-inline">\n'
        f'        <input class="form-check-input" type="checkbox" name="status" '
        f'value="{esc(value)}" id="f-status-{esc(value)}"'
        f"{' checked' if value in statuses else ''}>\n"
        f'        <label class="form-check-label small" for="f-status-{esc(value)}">'
        f"{esc(label)}</label>\n"
        "      </div>\n      "
        for value, label in status_choices
    )
    due_within = filters.get("due_within")
    return SafeString(
        "\n\n\n"
        '<details class="dashboard-filters card mb-4" data-open-when-wide'
        f"{' open' if active_filters else ''}>\n"
        f'<summary class="card-header">{t["Filters"]}{badge}</summary>\n'
        f'<form method="get" action="{dashboard}" class="card-body" '
        f'aria-label="{t["Filters"]}">\n'
        '  <div class="row g-2">\n'
        '    <div class="col-md-4">\n'
        f'      <label class="form-label small" for="f-q">{t["Search"]}</label>\n'
        '      <input class="form-control form-control-sm" type="search" id="f-q" name="q" '
        f'value="{esc(filters.get("q") or "")}">\n'
        "    </div>\n"
        '    <div class="col-md-2">\n'
        f'      <label class="form-label small" for="f-team">{t["Team"]}</label>\n'
        '      <select class="form-select form-select-sm" id="f-team" name="team">\n'
        f'        <option value="">{t["Any"]}</option>\n'
        f"        {team_options}\n"
        "      </select>\n"
        "    </div>\n"
        '    <div class="col-md-2">\n'
        f'      <label class="form-label small" for="f-assignee">{t["Assignee"]}</label>\n'
        "      \n"
        '      <input class="form-control form-control-sm" type="search" id="f-assignee" '
        f'name="assignee_username" value="{esc(assignee_username)}" maxlength="150" '
        f'autocomplete="off" placeholder="{t["Username"]}" list="f-assignee-people" '
        f'hx-get="{esc(reverse("actions:assignee_options"))}" '
        'hx-trigger="input changed delay:250ms" hx-target="#f-assignee-people" '
        'hx-swap="innerHTML" hx-sync="this:replace">\n'
        '      <datalist id="f-assignee-people"></datalist>\n'
        "    </div>\n"
        '    <div class="col-md-2">\n'
        f'      <label class="form-label small" for="f-priority">{t["Priority"]}</label>\n'
        '      <select class="form-select form-select-sm" id="f-priority" name="priority">\n'
        f"        {priority_options}\n"
        "      </select>\n"
        "    </div>\n"
        '    <div class="col-md-2">\n'
        f'      <label class="form-label small" for="f-kind">{t["Kind"]}</label>\n'
        '      <select class="form-select form-select-sm" id="f-kind" name="kind">\n'
        f"        {kind_options}\n"
        "      </select>\n"
        "    </div>\n"
        '    <fieldset class="col-md-4">\n'
        f'      <legend class="form-label small mb-1">{t["Status"]}</legend>\n      '
        f"{boxes}\n"
        "    </fieldset>\n"
        '    <div class="col-md-2">\n'
        f'      <label class="form-label small" for="f-severity">{t["Severity"]}</label>\n'
        '      <select class="form-select form-select-sm" id="f-severity" name="severity">\n'
        f"        {severity_options}\n"
        "      </select>\n"
        "    </div>\n"
        '    <div class="col-md-2">\n'
        '      <label class="form-label small" for="f-due-within">'
        f"{t['Due within (days)']}</label>\n"
        '      <input class="form-control form-control-sm" type="number" min="0" max="3650" '
        'id="f-due-within" name="due_within" '
        f'value="{"" if due_within is None else esc(str(due_within))}">\n'
        "    </div>\n"
        '    <div class="col-md-2 d-flex align-items-end">\n'
        '      <div class="form-check">\n'
        '        <input class="form-check-input" type="checkbox" name="overdue" value="1" '
        f'id="f-overdue"{" checked" if filters.get("overdue") else ""}>\n'
        '        <label class="form-check-label small" for="f-overdue">'
        f"{t['Overdue only']}</label>\n"
        "      </div>\n"
        "    </div>\n"
        '    <div class="col-md-2">\n'
        f'      <label class="form-label small" for="f-sort">{t["Sort"]}</label>\n'
        '      <select class="form-select form-select-sm" id="f-sort" name="sort">\n'
        f"        {sort_options}\n"
        "      </select>\n"
        "    </div>\n"
        + "".join(
            '    <div class="col-6 col-md-3">\n'
            f'      <label class="form-label small" for="f-{slug}">{t[label]}</label>\n'
            '      <input class="form-control form-control-sm" type="date" '
            f'id="f-{slug}" name="{name}" value="{_date(filters.get(name))}">\n'
            "    </div>\n"
            for name, slug, label in (
                ("created_from", "created-from", "Created from"),
                ("created_to", "created-to", "Created to"),
                ("closed_from", "closed-from", "Closed from"),
                ("closed_to", "closed-to", "Closed to"),
            )
        )
        + "  </div>\n"
        '  <div class="mt-3 d-flex gap-2">\n'
        '    <button type="submit" class="btn btn-primary btn-sm">'
        f"{t['Apply filters']}</button>\n"
        f'    <a class="btn btn-link btn-sm" href="{dashboard}">{t["Clear"]}</a>\n'
        "  </div>\n"
        "</form>\n"
        "</details>\n"
    )
