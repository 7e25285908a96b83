"""The home page's list of my open action items written as HTML in Python, once per row
(as the dashboard's rows, ``actions.dashboard.rows``): fifteen items through ``{% for %}``
with ``{% if %}``s, lookups, filters and ``{% translate %}`` per row were most of the home
page's template time. The markup is the one ``home.html`` printed, every value escaped as
``{{ }}`` escapes it (``postmortems.page_rows.esc``)."""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from postmortems.page_rows import esc

from .models import ActionItem


def open_action_rows_html(items: Iterable[ActionItem], *, today: datetime.date) -> SafeString:
    """One ``<li>`` per item (with ``team`` and ``assignee`` selected); items due before
    ``today`` (the reader's day) are marked overdue."""
    due = esc(gettext("due"))
    overdue_label = esc(gettext("Overdue"))
    overdue = f'<span class="badge text-bg-danger">{overdue_label}</span>'
    detail = reverse("actions:detail", args=[0]).replace("/0/", "/{}/")
    out = []
    for item in items:
        late = item.due_date < today
        assignee = item.assignee
        who = (
            f" · {esc(assignee.get_full_name() or assignee.get_username())}"
            if assignee is not None
            else ""
        )
        out.append(
            f'<li class="list-group-item{" overdue-row" if late else ""}">\n'
            '        <div class="d-flex justify-content-between gap-2">\n'
            f'          <a href="{esc(detail.format(int(item.pk)))}">{esc(item.title)}</a>\n'
            f'          <span class="badge text-bg-light border">{esc(item.priority)}</span>\n'
            "        </div>\n"
            '        <div class="small text-body-secondary">\n'
            f"          {esc(item.team.name)}{who}\n"
            f"          · {due} {item.due_date:%Y-%m-%d}\n"
            f"          {overdue if late else ''}\n"
            "        </div>\n"
            "      </li>\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
