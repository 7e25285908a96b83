"""The item list around its rows written in Python (``rows.list_html``) prints what
``_dashboard_list.html`` printed: headers, sort states and the pages' links."""

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import SafeString

from actions.dashboard.rows import list_html
from actions.views.dashboard import _list_columns

# ``_dashboard_list.html`` as it was.
OLD_TEMPLATE = """{% load i18n l10n action_items %}
{# The page of the item list: rendered once and cached (see actions.views.dashboard); its rows are written by actions.dashboard.rows. #}
  {% if rows %}
  <div class="table-responsive-md">
  {# Below 768 px each row becomes a card (app.css, .stack-on-phone); data-label names each cell. #}
  <table class="table table-sm align-middle stack-on-phone" id="item-list">
    <thead><tr>
      {% if can_bulk %}<th scope="col"><span class="visually-hidden">{% translate "Select" %}</span></th>{% endif %}
      {% for column in list_columns %}
      <th scope="col"{% if column.aria != "none" %} aria-sort="{{ column.aria }}"{% endif %}><a href="{% querystring sort=column.next page=None %}">{{ column.label }}{% if column.aria == "ascending" %} ▲{% elif column.aria == "descending" %} ▼{% endif %}</a></th>
      {% endfor %}
      <th scope="col">{% translate "Assignee" %}</th>
    </tr></thead>
    <tbody>
    {{ rows_html }}
    </tbody>
  </table>
  </div>
  {% if page.has_other_pages %}
  <nav aria-label="{% translate 'Pages' %}">
    <ul class="pagination pagination-sm">
      {% if page.has_previous %}<li class="page-item"><a class="page-link" href="{% querystring page=page.previous_page_number %}">{% translate "Previous" %}</a></li>{% endif %}
      <li class="page-item active" aria-current="page"><span class="page-link">{% blocktranslate with n=page.number total=page.paginator.num_pages %}Page {{ n }} of {{ total }}{% endblocktranslate %}</span></li>
      {% if page.has_next %}<li class="page-item"><a class="page-link" href="{% querystring page=page.next_page_number %}">{% translate "Next" %}</a></li>{% endif %}
    </ul>
  </nav>
  {% endif %}
  {% else %}
  <p class="text-body-secondary">{% translate "No action items match these filters." %}</p>
  {% endif %}
"""  # noqa: E501


@pytest.mark.parametrize(
    "query",
    ["", "page=3", "q=%3Cb%3E%22x%22+%26&status=open&status=done&page=2", "sort=-title&team=4"],
)
@pytest.mark.parametrize(
    ("count", "number", "sort", "can_bulk"),
    [
        (0, 1, "open_first", False),
        (12, 1, "title", True),
        (120, 2, "-due_date", False),
        (120, 3, "created_at", True),
        (100_000, 1999, "-team", False),
    ],
)
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_list_is_the_one_the_template_printed(query, count, number, sort, can_bulk, language):
    request = RequestFactory().get(f"/actions/?{query}")
    page = Paginator(range(count), 50).get_page(number)
    rows = list(page.object_list)
    rows_html = SafeString('<tr class="">\n      <td>row &amp; row</td>\n    </tr>\n')
    with translation.override(language):
        columns = _list_columns(sort)
        old = (
            engines["django"]
            .from_string(OLD_TEMPLATE)
            .render(
                {
                    "rows": rows,
                    "rows_html": rows_html,
                    "page": page,
                    "can_bulk": can_bulk,
                    "list_columns": columns,
                },
                request,
            )
        )
        new = list_html(
            rows_html=rows_html if rows else "",
            can_bulk=can_bulk,
            columns=columns,
            page=page,
            query=request.GET,
        )
    assert new == old
