"""The dashboard's repeated rows (the per-team table, the item list) written as HTML in
Python, once per row.

Two hundred teams and fifty items, each through ``{% for %}`` with ``{% if %}``s, lookups,
filters and ``{% translate %}`` per row, were most of a cold dashboard's time once its
figures came from stored counts. The markup is the one the partials printed before
(``_dashboard_summary.html`` prints the team rows; the item list, its headers and page
links included, is all written here, ``list_html``), and every value is escaped as
``{{ }}`` escapes it (``postmortems.page_rows.esc``).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
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
    overdue_label = esc(gettext("overdue"))
    overdue = f' <span class="visually-hidden">{overdue_label}</span>'
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


def _local_date(value: Any, zone: Any) -> str:
    """As ``|date:"Y-m-d"``: a datetime in the reader's zone ``zone``, empty for none."""
    if value is None:
        return ""
    return f"{value.astimezone(zone):%Y-%m-%d}"


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
    zone = timezone.get_current_timezone()  # once, not twice per row (``localtime``'s lookup)
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
            f"{_local_date(item.created_at, zone)}</td>\n",
            f'      <td class="text-nowrap{"" if item.completed_at else " cell-empty"}" '
            f'data-label="{closed}">{_local_date(item.completed_at, zone)}</td>\n',
            f'      <td data-label="{assignee}">{person}</td>\n    </tr>\n',
        ]
        out.append("".join(parts))
    return SafeString("".join(out))


def changed_query(query: Any, changes: Mapping[str, Any]) -> Any:
    """A copy of ``query`` (``request.GET``) with ``changes`` applied in their order, as
    ``{% querystring %}`` applies them: None removes a parameter, a list sets its values."""
    params = query.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        elif isinstance(value, list):
            params.setlist(key, value)
        else:
            params[key] = value
    return params


def _querystring(query: Any, **changes: Any) -> str:
    """As ``{% querystring %}`` on ``query`` (``request.GET``), escaped: a value of None
    removes the parameter."""
    params = changed_query(query, changes)
    if not params and not query:
        return ""
    return esc(f"?{params.urlencode()}")


def list_html(
    *,
    rows_html: str,
    can_bulk: bool,
    columns: Iterable[Mapping[str, Any]],
    page: Any,
    query: Any,
) -> SafeString:
    """The item list around its rows (``rows_html``, empty for no rows): the sortable
    headers (``views.dashboard._list_columns``) and the pages' links, each keeping the
    query string ``query``; the markup ``_dashboard_list.html`` printed."""
    if not rows_html:
        empty = esc(gettext("No action items match these filters."))
        return SafeString(f'\n\n  \n  <p class="text-body-secondary">{empty}</p>\n  \n')
    select_label = esc(gettext("Select"))
    select = (
        f'<th scope="col"><span class="visually-hidden">{select_label}</span></th>'
        if can_bulk
        else ""
    )
    headers = []
    for column in columns:
        aria = column["aria"]
        arrow = " ▲" if aria == "ascending" else " ▼" if aria == "descending" else ""
        headers.append(
            '\n      <th scope="col"'
            + ("" if aria == "none" else f' aria-sort="{esc(aria)}"')
            + f'><a href="{_querystring(query, sort=column["next"], page=None)}">'
            f"{esc(column['label'])}{arrow}</a></th>\n      "
        )
    pages = ""
    if page.has_other_pages():
        previous_label, next_label = esc(gettext("Previous")), esc(gettext("Next"))
        previous = (
            '<li class="page-item"><a class="page-link" '
            f'href="{_querystring(query, page=page.previous_page_number())}">'
            f"{previous_label}</a></li>"
            if page.has_previous()
            else ""
        )
        following = (
            '<li class="page-item"><a class="page-link" '
            f'href="{_querystring(query, page=page.next_page_number())}">'
            f"{next_label}</a></li>"
            if page.has_next()
            else ""
        )
        of = gettext("Page %(n)s of %(total)s") % {
            "n": esc(formats.localize(page.number)),
            "total": esc(formats.localize(page.paginator.num_pages)),
        }
        pages_label = esc(gettext("Pages"))
        pages = (
            f'\n  <nav aria-label="{pages_label}">\n'
            '    <ul class="pagination pagination-sm">\n'
            f"      {previous}\n"
            '      <li class="page-item active" aria-current="page"><span class="page-link">'
            f"{of}</span></li>\n"
            f"      {following}\n"
            "    </ul>\n"
            "  </nav>\n  "
        )
    assignee = esc(gettext("Assignee"))
    return SafeString(
        "\n\n  \n"
        '  <div class="table-responsive-md">\n'
        "  \n"
        '  <table class="table table-sm align-middle stack-on-phone" id="item-list">\n'
        "    <thead><tr>\n"
        f"      {select}\n"
        f"      {''.join(headers)}\n"
        f'      <th scope="col">{assignee}</th>\n'
        "    </tr></thead>\n"
        "    <tbody>\n"
        f"    {rows_html}\n"
        "    </tbody>\n"
        "  </table>\n"
        "  </div>\n"
        f"  {pages}\n"
        "  \n"
    )
