"""The postmortem page's action-item rows (``postmortem_item_rows``): one ``<tr>`` per
item with the labels the includer translated, every value escaped."""

import datetime

import pytest
from django.template import Context

from actions.models import ActionItem
from actions.templatetags.action_items import postmortem_item_rows
from postmortems.selectors import postmortem_for_page
from tests.factories import ActionItemFactory, ContributingFactorFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
CONTEXT = Context(
    {
        "actions_url": "/actions/",
        "factor_label": "from a contributing factor",
        "unassigned_label": "unassigned",
        "overdue_label": "Overdue",
    }
)


def test_an_overdue_assigned_item_from_a_factor():
    factor = ContributingFactorFactory()
    assignee = UserFactory(first_name="Ada", last_name="Lovelace")
    item = ActionItemFactory(
        postmortem=factor.postmortem,
        factor=factor,
        title="Cap <retries> & alert",
        assignee=assignee,
        due_date=TODAY - datetime.timedelta(days=1),
        priority="P1",
    )
    html = postmortem_item_rows(CONTEXT, [item], TODAY)
    assert html.startswith(
        f'<tr class="overdue-row"><td><a href="/actions/{item.pk}/">Cap &lt;retries&gt; &amp; '
        f'alert</a> <a href="#factor-{factor.pk}" class="small">from a contributing factor</a>'
        "</td><td>P1</td>"
    )
    assert "<td>Ada Lovelace</td>" in html
    assert html.endswith(
        f'<td>{item.due_date.isoformat()} <span class="badge text-bg-danger">Overdue</span>'
        "</td></tr>\n"
    )


def test_an_unassigned_item_due_later_has_no_badge():
    item = ActionItemFactory(assignee=None, due_date=TODAY, factor=None)
    html = postmortem_item_rows(CONTEXT, [item], TODAY)
    assert html.startswith("<tr><td>")
    assert "<td>unassigned</td>" in html
    assert "Overdue" not in html
    assert "#factor-" not in html


def test_the_read_views_items_print_the_same_rows_as_full_items():
    factor = ContributingFactorFactory()
    pm = factor.postmortem
    ActionItemFactory(postmortem=pm, assignee=UserFactory(first_name="Ada", last_name=""))
    ActionItemFactory(postmortem=pm, assignee=UserFactory(first_name="", last_name=""))
    ActionItemFactory(postmortem=pm, assignee=None, factor=factor)
    page = postmortem_for_page(UserFactory(is_superuser=True), pm.pk)
    assert page is not None
    from_page = postmortem_item_rows(CONTEXT, page.action_items.all(), TODAY)
    full = ActionItem.objects.filter(postmortem=pm).order_by("status", "due_date", "id")
    assert from_page == postmortem_item_rows(CONTEXT, full, TODAY)
    assert "<td>Ada</td>" in from_page
    assert "<td>unassigned</td>" in from_page
