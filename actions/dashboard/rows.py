"""The dashboard's repeated rows (the per-team table, the item list) written as HTML in
Python, once per row.

Two hundred teams and fifty items, each through ``{% for %}`` with ``{% if %}``s, lookups,
filters and ``{% translate %}`` per row, were most of a cold dashboard's time once its
figures came from stored counts. The markup is the one the partials printed before
(``_dashboard_summary.html``, ``_dashboard_list.html`` call these), and every value is
escaped as ``{{ }}`` escapes it (``postmortems.page_rows.esc``).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from postmortems.page_rows import esc, labels

from ..models import ActionItem


def _percent(value: float | None) -> str:
    """As the ``percent`` filter: 0.834 -> "83%"; None -> "—"."""
    return "—" if value is None else f"{round(value * 100)}%"


def team_rows_html(
    rows: Iterable[Mapping[str, Any]], links: Mapping[str, tuple[str, str]]
) -> SafeString:
    """The per-team table's ``<tr>``s (rows from ``dashboard_figures``); ``links``: each
    link's escaped text before and after the team's id (``views.dashboard._team_links``)."""
    overdue = f' <span class="visually-hidden">{esc(gettext("overdue"))}</span>'
    (team_a, team_b), (open_a, open_b), (late_a, late_b), (done_a, done_b), (old_a, old_b) = (
        links[name] for name in ("team", "open", "overdue", "done", "oldest")
    )
    out = []
    for row in rows:
        team = row["team_id"]
        days = row["oldest_open_days"]
        out.append(
            "<tr>\n"
            f'      <th scope="row"><a href="{team_a}{team}{team_b}">{esc(row["team__name"])}</a>'
            "</th>\n"
            f'      <td class="text-end"><a href="{open_a}{team}{open_b}">{row["open"]}</a></td>\n'
            f'      <td class="text-end"><a href="{late_a}{team}{late_b}">{row["overdue"]}</a>'
            f"{overdue if row['overdue'] else ''}</td>\n"
            f'      <td class="text-end"><a href="{done_a}{team}{done_b}">'
            f"{_percent(row['on_time_rate'])}</a></td>\n"
            '      <td class="text-end">'
            + ("—" if days is None else f'<a href="{old_a}{team}{old_b}">{days}</a>')
            + "</td>\n    </tr>\n"
        )
    return SafeString("".join(out))


def _local_date(value: Any) -> str:
    """As ``|date:"Y-m-d"``: a datetime in the reader's zone, empty for none."""
    if value is None:
        return ""
    return f"{timezone.localtime(value):%Y-%m-%d}"


def list_rows_html(rows: Iterable[Any], *, can_bulk: bool) -> SafeString:
    """The item list's ``<tr>``s (``listing.ListedItem``s with ``is_overdue`` and
    ``can_bulk`` set)."""
    statuses = labels(ActionItem.Status.choices)
    team, priority, status, due, created, closed, assignee = (
        esc(gettext(label))
        for label in ("Team", "Priority", "Status", "Due", "Created", "Closed", "Assignee")
    )
    overdue = esc(gettext("Overdue"))
    unassigned = esc(gettext("unassigned"))
    select = gettext("Select “%(title)s”")
    detail = reverse("actions:detail", args=[0]).replace("/0/", "/{}/")
    out = []
    for item in rows:
        parts = [f'<tr class="{"overdue-row" if item.is_overdue else ""}">\n']
        if can_bulk:
            parts.append('      <td class="cell-select">')
            if item.can_bulk:
                label = esc(select % {"title": esc(item.title)})
                parts.append(
                    '<input class="form-check-input" type="checkbox" name="items" '
                    f'value="{int(item.pk)}" form="bulk-form" aria-label="{label}">'
                )
            parts.append("</td>\n")
        if item.assignee_id is None:
            person = f'<span class="text-body-secondary">{unassigned}</span>'
        else:
            person = esc(item.assignee_name)
        parts += [
            f'      <td class="cell-title"><a href="{detail.format(int(item.pk))}">'
            f"{esc(item.title)}</a>"
            f'<div class="small text-body-secondary">{esc(item.postmortem_title)} · '
            f"{esc(item.postmortem_severity)}</div></td>\n",
            f'      <td data-label="{team}">{esc(item.team_name)}</td>\n',
            f'      <td data-label="{priority}">{esc(item.priority)}</td>\n',
            f'      <td data-label="{status}">{esc(statuses.get(item.status, item.status))}</td>\n',
            f'      <td class="text-nowrap" data-label="{due}">{item.due_date:%Y-%m-%d}'
            + (f' <span class="badge text-bg-danger">{overdue}</span>' if item.is_overdue else "")
            + "</td>\n",
            f'      <td class="text-nowrap hide-on-phone" data-label="{created}">'
            f"{_local_date(item.created_at)}</td>\n",
            f'      <td class="text-nowrap{"" if item.completed_at else " cell-empty"}" '
            f'data-label="{closed}">{_local_date(item.completed_at)}</td>\n',
            f'      <td data-label="{assignee}">{person}</td>\n    </tr>\n',
        ]
        out.append("".join(parts))
    return SafeString("".join(out))
