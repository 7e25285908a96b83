"""The manager dashboard: filters, tiles, per-team table, SVG charts, the item list, bulk
changes and the CSV export. Everything is computed on the items the user may see."""

from collections import namedtuple

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from postmortems import csv_cells
from postmortems.fields import parse_id
from postmortems.permissions import managed_team_ids

from .. import charts, selectors, services
from ..dashboard.cache import cached_many
from ..dashboard.export import Echo
from ..dashboard.filter_form import filter_form_html, short_lists
from ..dashboard.listing import ListedItem
from ..dashboard.options import assignee_options_html, choice_options_html, options_html
from ..dashboard.rows import changed_query, list_html, list_rows_html, team_rows_html
from ..forms import BulkUpdateForm, DashboardFilterForm
from ..models import ActionItem

PAGE_SIZE = 50

# What the view's context keeps of each listed item (the HTML is rendered from the items).
ListRow = namedtuple("ListRow", "pk title team_id status due_date")
# What it keeps of the page: plain values. A ``Page`` would drag its ``Paginator`` into
# the cache, whose three lazily translated error messages each build a new proxy class on
# every unpickling: a tenth of a warm request's instructions.
ListPage = namedtuple("ListPage", "number num_pages count")


def dashboard(request):
    """``/actions/``. A fixed number of queries whatever the number of items.

    The aggregates (tiles, charts, per-team table) and the rendered page of the list come
    from the cache while fresh (``DASHBOARD_CACHE_SECONDS``, and every write to an item or
    postmortem makes them stale): see ``actions.dashboard.cache``."""
    form = DashboardFilterForm(request.GET)
    filters = form.filters()
    today = timezone.localdate()

    def rows():  # read only when the cache misses
        return selectors.dashboard_rows(request.user, filters, sort, today=today)

    query = request.GET.copy()
    query.pop("page", None)
    version = selectors.dashboard_cache_version()
    key = selectors.dashboard_cache_key(
        request.user, query.urlencode(), today=today, version=version
    )
    sort = filters.get("sort") or selectors.DEFAULT_SORT
    managed = managed_team_ids(request.user)

    def summary_built(found):
        return {
            **_summary(request, today, filters),
            "filters_html": _filters_html(request, form, filters),
        }

    def listing_built(found):
        # After the summary (cached or built): the list takes its total from it.
        total = found[key]["figures"]["total"]
        return _listing(request, rows, sort, total, managed, today)

    # The page as a number: any other text shows page 1 and must not add a cache entry.
    list_key = f"{key}:list:{parse_id(request.GET.get('page', '')) or 1}"

    found = cached_many({key: summary_built, list_key: listing_built})
    summary, listing = found[key], found[list_key]
    return render(
        request,
        "actions/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "ignored": form.ignored(),
            "figures": summary["figures"],
            "team_rows": summary["team_rows"],
            "summary_html": summary["html"],
            "figures_as_of": summary["as_of"],
            "page": listing["page"],
            "rows": listing["rows"],
            "list_html": listing["html"],
            "sort": sort,
            "filters_html": summary["filters_html"],
            "can_bulk": listing["can_bulk"],
            "bulk_statuses": [
                (s, ActionItem.Status(s).label) for s in services.BULK_STATUS_ACTIONS
            ],
            "disabled_teams": selectors.teams_with_dead_webhook(request.user),
        },
    )


@require_GET
def assignee_options(request):
    """``/actions/assignees/``: the people whose username or name has the words typed in
    the filter's assignee field (``assignee_username``), as a ``<datalist>``'s options
    (htmx): at most ``ASSIGNEE_MATCHES``, from those who may be assigned."""
    text = request.GET.get("assignee_username", "")[:150]
    return HttpResponse(assignee_options_html(selectors.assignee_matches(text)))


def _filters_html(request, form, filters):
    """The filter form, which follows from the query string."""
    # The assignee field holds a username; a link's ``?assignee=<pk>`` shows as its person's.
    assignee_username = filters.get("assignee_username", "")
    team_options, username = selectors.filter_form_options(
        person=None if assignee_username else filters.get("assignee"),
    )
    choices = short_lists(get_language())
    return filter_form_html(
        filters=filters,
        status_choices=choices["status"],
        # An unticked box or no status is no filter; "due within 0 days" is one.
        active_filters=sum(
            1
            for name, value in filters.items()
            if name != "sort" and value is not False and value != []
        ),
        team_options=options_html(team_options, filters.get("team")),
        assignee_username=assignee_username or username,
        # The short lists too, as plain strings (selected: as the form's values).
        **{
            f"{name}_options": choice_options_html(choices[name], selected)
            for name, selected in (
                ("priority", filters.get("priority")),
                ("kind", filters.get("kind")),
                ("severity", filters.get("severity")),
                ("sort", filters.get("sort") or selectors.DEFAULT_SORT),
            )
        },
    )


# The per-team table shows the most urgent teams, and every team on ``?teams=all``: with
# two hundred teams, the rows nobody scrolls to were three fifths of the page's HTML and a
# tenth of the work of a dashboard not yet cached (written, cached and sent on every read).
TEAM_ROWS_SHOWN = 20


def _summary(request, today, filters):
    """Figures, per-team rows and their HTML (whose links keep the query string)."""
    figures, team_rows = selectors.dashboard_figures(request.user, filters, today=today)
    all_teams = request.GET.get("teams") == "all"
    # (A list either way: the stored counts' rows are made as they are read.)
    shown = list(team_rows) if all_teams else team_rows[:TEAM_ROWS_SHOWN]
    html = render_to_string(
        "actions/partials/_dashboard_summary.html",
        {
            "figures": figures,
            "team_rows": shown,
            "team_count": len(team_rows),
            "team_rows_max": TEAM_ROWS_SHOWN,
            "all_teams": all_teams,
            "teams_href": _teams_href(request, all_teams),
            "team_rows_html": team_rows_html(shown, _team_links(request.GET)),
            "age_chart_html": charts.age_chart_html(
                charts.age_chart(figures["age_chart"]),
                figures["age_chart"],
                ActionItem.Priority.values,
            ),
            "week_chart_html": charts.week_chart_html(
                charts.week_chart(figures["week_chart"]), figures["week_chart"]
            ),
        },
        request,
    )
    return {
        "figures": figures,
        "team_rows": shown,
        "html": html,  # render_to_string's SafeString stays safe through the cache
        "as_of": timezone.now(),
    }


def _teams_href(request, all_teams):
    """The link that shows every team (or the most urgent again), keeping the filters."""
    query = changed_query(request.GET, {"teams": None if all_teams else "all", "page": None})
    return f"?{query.urlencode()}#teams-heading" if query else f"{request.path}#teams-heading"


_TEAM = "team"
_OPEN_STATUSES = [str(status) for status in ActionItem.OPEN_STATUSES]
# Each link of a team's row: what it changes in the page's query string, in the order
# ``{% querystring %}`` would apply it (the team first, the page dropped).
TEAM_LINKS = {
    "team": {},
    "open": {"status": _OPEN_STATUSES, "overdue": None},
    "overdue": {"overdue": "1", "status": None},
    "done": {"status": "done", "overdue": None},
    "oldest": {"status": _OPEN_STATUSES, "overdue": None, "sort": "created_at"},
}


def _team_links(query):
    """The per-team table's links, each keeping the page's filters, as ``{name: (before,
    after)}``: a team's link is ``before``, its id, ``after``, escaped for an attribute.

    Built as ``{% querystring %}`` builds them, but once per kind of link rather than five
    times per team: the team's own parameter is the one piece that changes per row. The
    parts come from ``QueryDict.urlencode`` (every character but letters, digits,
    "_.-~+%=" percent-encoded), so "&" between them is the one character to escape."""
    links = {}
    for name, changes in TEAM_LINKS.items():
        params = changed_query(query, {_TEAM: "0", **changes, "page": None})
        parts = params.urlencode().split("&")
        at = parts.index(f"{_TEAM}=0")
        before = "".join(f"{part}&amp;" for part in parts[:at])
        after = "".join(f"&amp;{part}" for part in parts[at + 1 :])
        links[name] = (f"?{before}{_TEAM}=", after)
    return links


def _listing(request, rows, sort, total, managed, today):
    """One page of the list (rows, page, whether any row may be changed in bulk, HTML)."""
    paginator = Paginator(rows(), PAGE_SIZE)
    # The aggregate already counted the filtered set; no second COUNT query.
    paginator.count = total
    page = paginator.get_page(request.GET.get("page"))
    rows = [ListedItem(*values) for values in page.object_list]
    for row in rows:
        row.is_overdue = row.is_open and row.due_date < today
        row.can_bulk = request.user.is_superuser or row.team_id in managed
    can_bulk = any(row.can_bulk for row in rows)
    html = list_html(
        rows_html=list_rows_html(rows, can_bulk=can_bulk) if rows else "",
        can_bulk=can_bulk,
        columns=_list_columns(sort),
        page=page,
        query=request.GET,
    )
    # The rows as light tuples and the page as plain numbers: a cache hit only needs the
    # HTML (pickling the paginator's queryset would read every row).
    rows = [ListRow(row.pk, row.title, row.team_id, row.status, row.due_date) for row in rows]
    return {
        "rows": rows,
        "page": ListPage(page.number, paginator.num_pages, paginator.count),
        "can_bulk": can_bulk,
        "html": html,
    }


LIST_COLUMNS = (
    ("title", gettext_lazy("Item")),
    ("team", gettext_lazy("Team")),
    ("priority", gettext_lazy("Priority")),
    ("status", gettext_lazy("Status")),
    ("due_date", gettext_lazy("Due")),
    ("created_at", gettext_lazy("Created")),
    ("completed_at", gettext_lazy("Closed")),
)


def _list_columns(current):
    """Each sortable column's header: the sort its link sets and its aria-sort state."""
    columns = []
    for key, label in LIST_COLUMNS:
        if current == key:
            state = {"next": f"-{key}", "aria": "ascending"}
        elif current == f"-{key}":
            state = {"next": key, "aria": "descending"}
        else:
            state = {"next": key, "aria": "none"}
        columns.append({"key": key, "label": label, **state})
    return columns


@require_POST
def bulk_update(request):
    """Managers change the status or assignee of the checked rows (their teams' items only)."""
    next_url = request.POST.get("next", "")
    # Only a path: redirect() would take a bare word for a URL pattern name (NoReverseMatch).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        next_url = ""
    back = next_url or "actions:dashboard"
    form = BulkUpdateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(back)
    items = list(
        selectors.visible_action_items(request.user)
        .filter(pk__in=form.cleaned_data["items"])
        .select_related("team", "assignee")
    )
    try:
        result = services.action_items_bulk_update(
            items=items,
            by=request.user,
            status=form.cleaned_data["status"] or None,
            assignee=form.cleaned_data["assignee"],
        )
    except PermissionDenied:
        messages.error(request, _("Bulk changes are only for managers of the items' teams."))
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    count = len(result.updated)
    messages.success(
        request,
        ngettext("%(count)d item updated.", "%(count)d items updated.", count) % {"count": count},
    )
    for item, message in result.skipped:
        messages.warning(
            request, _("Skipped “%(title)s”: %(why)s") % {"title": item.title, "why": message}
        )
    return redirect(back)


# The header row: the column keys of selectors.EXPORT_COLUMNS, which scripts rely on,
# translated for a Korean reader.
CSV_HEADINGS = {
    "id": pgettext_lazy("CSV column", "id"),
    "title": pgettext_lazy("CSV column", "title"),
    "postmortem_id": pgettext_lazy("CSV column", "postmortem_id"),
    "postmortem": pgettext_lazy("CSV column", "postmortem"),
    "severity": pgettext_lazy("CSV column", "severity"),
    "team": pgettext_lazy("CSV column", "team"),
    "assignee": pgettext_lazy("CSV column", "assignee"),
    "status": pgettext_lazy("CSV column", "status"),
    "priority": pgettext_lazy("CSV column", "priority"),
    "kind": pgettext_lazy("CSV column", "kind"),
    "due_date": pgettext_lazy("CSV column", "due_date"),
    "created_at": pgettext_lazy("CSV column", "created_at"),
    "completed_at": pgettext_lazy("CSV column", "completed_at"),
    "tracker_url": pgettext_lazy("CSV column", "tracker_url"),
}


def export_csv(request):
    """``/actions/export.csv``: the filtered list, streamed in chunks (fine for 100k rows);
    on PostgreSQL the database writes the CSV (``actions.dashboard.export_copy``)."""
    form = DashboardFilterForm(request.GET)
    filters = form.filters()
    items = selectors.dashboard_items(request.user, filters)
    services.export_audit_record(
        by=request.user,
        export="action_items",
        team_id=filters.get("team"),
        query=request.GET.urlencode(),
    )
    body = selectors.export_csv_chunks(items, filters.get("sort") or selectors.DEFAULT_SORT)
    header = csv_cells.writer(Echo()).writerow(
        [str(CSV_HEADINGS.get(name, name)) for name, _source in selectors.EXPORT_COLUMNS]
    )

    def lines():
        yield csv_cells.BOM
        yield header
        yield from body

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="action-items-{stamp}.csv"'
    return response
