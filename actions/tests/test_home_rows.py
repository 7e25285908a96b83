"""The home page's open-action rows written in Python print what ``home.html`` printed."""

import datetime

import pytest
from django.template import engines
from django.utils import translation

from actions.home_rows import open_action_rows_html
from tests.factories import ActionItemFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

# What the home page's ``{% for %}`` printed per item before ``open_action_rows_html``.
_TEMPLATE = """{% load i18n %}{% for item in my_actions %}<li class="list-group-item{% if item.due_date < today %} overdue-row{% endif %}">
        <div class="d-flex justify-content-between gap-2">
          <a href="{{ item.get_absolute_url }}">{{ item.title }}</a>
          <span class="badge text-bg-light border">{{ item.priority }}</span>
        </div>
        <div class="small text-body-secondary">
          {{ item.team.name }}{% if item.assignee %} · {{ item.assignee.get_full_name|default:item.assignee.get_username }}{% endif %}
          · {% translate "due" %} {{ item.due_date|date:"Y-m-d" }}
          {% if item.due_date < today %}<span class="badge text-bg-danger">{% translate "Overdue" %}</span>{% endif %}
        </div>
      </li>
      {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "ko"])
def test_open_action_rows_print_what_the_home_template_printed(language):
    today = datetime.date(2026, 3, 10)
    team = TeamFactory(name="Ops & <Infra>", slug="ops")
    items = [
        ActionItemFactory(
            title='Alert on <script>"x"</script>',
            team=team,
            due_date=today - datetime.timedelta(days=1),
            assignee=UserFactory(username="ann", first_name="Ann", last_name="O'Neil"),
        ),
        ActionItemFactory(
            team=team, due_date=today, assignee=UserFactory(first_name="", last_name="")
        ),
        ActionItemFactory(team=team, due_date=today + datetime.timedelta(days=3)),
    ]
    template = engines["django"].from_string(_TEMPLATE)
    with translation.override(language):
        expected = template.render({"my_actions": items, "today": today})
        html = open_action_rows_html(items, today=today)

    assert html == expected
    assert html.count("overdue-row") == 1
    assert "Ann O&#x27;Neil" in html
    assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html
