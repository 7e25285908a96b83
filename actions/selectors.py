"""Reads for action items, always scoped through the postmortems' visibility rule."""

import datetime
import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    Q,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone, translation
from django.utils.html import escape

from postmortems.models import Postmortem, Team
from postmortems.permissions import managed_teams, member_team_ids
from postmortems.selectors import visible_postmortems

from .models import ActionItem


def visible_action_items(user):
    """Action items of postmortems ``user`` may see."""
    return ActionItem.objects.filter(postmortem__in=visible_postmortems(user))


def my_open_actions(user):
    """Open items assigned to me first, then my teams' other open items, by due date."""
    mine_first = Case(
        When(assignee=user, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        visible_action_items(user)
        .filter(status__in=ActionItem.OPEN_STATUSES)
        .filter(Q(assignee=user) | Q(team_id__in=member_team_ids(user)))
        .annotate(mine=mine_first)
        .select_related("team", "assignee", "postmortem")
        .order_by("mine", "due_date", "id")
    )


# --- Item pages ------------------------------------------------------------------------------


def action_item_for_detail(user, pk):
    """One visible item with its postmortem, factor, team and assignee, or None."""
    return (
        visible_action_items(user)
        .select_related("postmortem__team", "factor", "team", "assignee", "created_by")
        .filter(pk=pk)
        .first()
    )


def action_items_for_postmortem(postmortem):
    """The postmortem's items for its page (``_postmortem_actions.html``), in one query."""
    return list(
        postmortem.action_items.select_related("team", "assignee").order_by(
            "status", "due_date", "id"
        )
    )


def action_item_history(item):
    """History rows, newest first, with who made each change."""
    return list(
        item.history.select_related("history_user").order_by("-history_date", "-history_id")
    )


def action_item_reminders(item):
    """Reminders logged for the item, newest first."""
    return list(item.reminders.order_by("-for_date", "-created_at", "-id"))


def team_members(team):
    """People who may be assigned an item of ``team``."""
    User = get_user_model()
    return User.objects.filter(memberships__team=team).order_by("first_name", "username")


# --- Manager dashboard -----------------------------------------------------------------------

AGE_BUCKETS = (
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    (">90", 91, None),
)
CHART_WEEKS = 12
SORTS = {
    # The default: what still needs doing first, soonest due first; closed items after.
    "open_first": ("is_closed", "due_date", "id"),
    "due_date": ("due_date", "id"),
    "priority": ("priority", "due_date", "id"),
    "status": ("status", "due_date", "id"),
    "title": ("title", "id"),
    "team": ("team__name", "due_date", "id"),
    "created_at": ("created_at", "id"),
    "completed_at": ("completed_at", "id"),
}
DEFAULT_SORT = "open_first"


def _is_closed():
    return Case(
        When(status__in=ActionItem.OPEN_STATUSES, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _day_start(day):
    """Midnight at the start of ``day`` in the current time zone (aware)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _open():
    return Q(status__in=ActionItem.OPEN_STATUSES)


def _overdue(today):
    return _open() & Q(due_date__lt=today)


def filter_action_items(queryset, filters, *, today=None):
    """Apply the dashboard's validated filters (``DashboardFilterForm.cleaned_data``)."""
    today = today or timezone.localdate()
    f = filters
    if f.get("q"):
        queryset = queryset.filter(
            Q(title__icontains=f["q"]) | Q(postmortem__title__icontains=f["q"])
        )
    if f.get("team"):
        queryset = queryset.filter(team_id=f["team"])
    if f.get("assignee"):
        queryset = queryset.filter(assignee_id=f["assignee"])
    if f.get("status"):
        queryset = queryset.filter(status__in=f["status"])
    if f.get("priority"):
        queryset = queryset.filter(priority=f["priority"])
    if f.get("kind"):
        queryset = queryset.filter(kind=f["kind"])
    if f.get("severity"):
        queryset = queryset.filter(postmortem__severity=f["severity"])
    if f.get("overdue"):
        queryset = queryset.filter(_overdue(today))
    if f.get("due_within") is not None:
        queryset = queryset.filter(
            _open(),
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=f["due_within"]),
        )
    if f.get("created_from"):
        queryset = queryset.filter(created_at__gte=_day_start(f["created_from"]))
    if f.get("created_to"):
        queryset = queryset.filter(
            created_at__lt=_day_start(f["created_to"] + datetime.timedelta(days=1))
        )
    if f.get("closed_from") or f.get("closed_to"):
        queryset = queryset.filter(status__in=ActionItem.CLOSED_STATUSES)
    if f.get("closed_from"):
        queryset = queryset.filter(completed_at__gte=_day_start(f["closed_from"]))
    if f.get("closed_to"):
        queryset = queryset.filter(
            completed_at__lt=_day_start(f["closed_to"] + datetime.timedelta(days=1))
        )
    return queryset


def dashboard_items(user, filters, *, today=None):
    """The visible items matching the dashboard filters (unordered, no joins)."""
    return filter_action_items(visible_action_items(user), filters, today=today)


def sorted_items(queryset, sort):
    """``sort`` is a key of SORTS, optionally prefixed with ``-``."""
    key = sort.lstrip("-") if sort else DEFAULT_SORT
    fields = SORTS.get(key, SORTS[DEFAULT_SORT])
    if sort and sort.startswith("-"):
        fields = tuple(name[1:] if name.startswith("-") else f"-{name}" for name in fields)
    if any(name.lstrip("-") == "is_closed" for name in fields):
        queryset = queryset.annotate(is_closed=_is_closed())
    return queryset.order_by(*fields)


# What the list shows of each row: the postmortem's long text columns stay in the database.
LIST_FIELDS = (
    "id",
    "title",
    "status",
    "priority",
    "due_date",
    "created_at",
    "completed_at",
    "team_id",
    "assignee_id",
    "postmortem_id",
    "team__name",
    "postmortem__title",
    "postmortem__severity",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def dashboard_list(queryset, sort):
    """The item list's rows: one query per page, whatever the number of rows. Sorted by
    due date alone the list walks the (due_date, id) index; the default (open first) sorts
    the filtered rows, keeping only the page it needs."""
    return (
        sorted_items(queryset, sort)
        .select_related("team", "assignee", "postmortem")
        .only(*LIST_FIELDS)
    )


# --- Dashboard cache -------------------------------------------------------------------------
#
# The tiles, charts and per-team table are aggregates over every visible item: they are
# kept for DASHBOARD_CACHE_SECONDS under a key made of the cache version (bumped by every
# write to an action item or a postmortem, see ``actions.signals``), what decides which
# items the user sees, the language, time zone, date and the query string.

DASHBOARD_VERSION_KEY = "actions:dashboard:version"


def dashboard_cache_version():
    """The current version; a fresh (never reused) number when the cache lost it."""
    version = cache.get(DASHBOARD_VERSION_KEY)
    if version is None:
        cache.add(DASHBOARD_VERSION_KEY, time.time_ns(), None)
        version = cache.get(DASHBOARD_VERSION_KEY, 0)
    return version


def dashboard_cache_invalidate():
    """Make every cached dashboard figure stale (cheap: one increment)."""
    try:
        cache.incr(DASHBOARD_VERSION_KEY)
    except ValueError:
        cache.set(DASHBOARD_VERSION_KEY, time.time_ns(), None)


def visibility_scope(user):
    """``_visibility_scope``, kept per user while the cache version holds (memberships and
    the people of postmortems change it too, see ``actions.signals``)."""
    if user.is_superuser:
        return "all"
    key = f"actions:dashboard:scope:{dashboard_cache_version()}:{user.pk}"
    scope = cache.get(key)
    if scope is None:
        scope = _visibility_scope(user)
        cache.set(key, scope, settings.DASHBOARD_CACHE_SECONDS)
    return scope


def _visibility_scope(user):
    """A short string equal for two users exactly when ``visible_postmortems`` gives them
    the same postmortems (for a given state of the postmortems, which the cache version
    follows): superusers see all; others see the unrestricted ones plus the restricted
    ones of their teams and those listing them as author, reviewer or viewer.

    Reuses the per-request memberships; one small query for the listed postmortems."""
    if user.is_superuser:
        return "all"
    people = (
        Postmortem.authors.through,
        Postmortem.reviewers.through,
        Postmortem.viewers.through,
    )
    listed = people[0].objects.filter(user_id=user.pk).values_list("postmortem_id", flat=True)
    listed = listed.order_by().union(
        *(
            through.objects.filter(user_id=user.pk).values_list("postmortem_id").order_by()
            for through in people[1:]
        )
    )
    teams = ",".join(str(pk) for pk in sorted(member_team_ids(user)))
    postmortems = ",".join(str(pk) for pk in sorted(set(listed)))
    return hashlib.sha256(f"t:{teams}|p:{postmortems}".encode()).hexdigest()[:32]


def dashboard_cache_key(user, query_string, *, today):
    """The key of the dashboard summary for ``user`` and the (page-less) query string."""
    parts = (
        str(dashboard_cache_version()),
        visibility_scope(user),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        today.isoformat(),
        query_string,
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"actions:dashboard:summary:{digest}"


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate ``percentile_cont(p) WITHIN GROUP (ORDER BY x)``."""

    function = "percentile_cont"
    name = "PercentileCont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()

    def __init__(self, expression, percentile=0.5, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


class LocalDate(Func):
    """The date of a datetime in the current time zone.

    Elsewhere this is ``TruncDate``; on SQLite that calls a Python function per row, so
    there it shifts by the zone's current UTC offset with SQLite's own ``date()`` (exact
    for UTC, the default; at most an hour off around a DST change in other zones).
    """

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(TruncDate(*self.source_expressions))

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        offset = int(timezone.localtime().utcoffset().total_seconds())
        return f"date({sql}, %s)", (*params, f"{offset:+d} seconds")


def _on_time():
    """Done on or before the due date (by the local date of ``completed_at``)."""
    return Q(status=ActionItem.Status.DONE) & LessThanOrEqual(
        LocalDate("completed_at"), F("due_date")
    )


class DaysBetween(Func):
    """``end - start`` in days, as a float (SQLite: native ``julianday``)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return (
            f"(EXTRACT(EPOCH FROM ({end[0]} - {start[0]})) / 86400.0)",
            (*end[1], *start[1]),
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(e) for e in self.source_expressions)
        return f"(julianday({end[0]}) - julianday({start[0]}))", (*end[1], *start[1])


def _time_to_close():
    return ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())


def _closed():
    return Q(status__in=ActionItem.CLOSED_STATUSES, completed_at__isnull=False)


def _weeks(today):
    """Start dates of the last CHART_WEEKS weeks (Monday first), oldest first."""
    this_week = today - datetime.timedelta(days=today.weekday())
    return [this_week - datetime.timedelta(weeks=n) for n in range(CHART_WEEKS - 1, -1, -1)]


def dashboard_figures(queryset, *, today=None, now=None):
    """Tiles and chart data for ``queryset`` in one aggregate query (plus one ordered
    OFFSET query for the median on databases without ``percentile_cont``).

    The number of queries is the same for ten items and for a million.
    """
    today = today or timezone.localdate()
    now = now or timezone.now()
    postgres = connection.vendor == "postgresql"
    open_ = _open()
    done = Q(status=ActionItem.Status.DONE)
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=open_),
        "overdue": Count("pk", filter=_overdue(today)),
        "due_soon": Count(
            "pk",
            filter=open_ & Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=7)),
        ),
        "completed_30": Count(
            "pk", filter=done & Q(completed_at__gte=now - datetime.timedelta(days=30))
        ),
        "done": Count("pk", filter=done),
        "done_on_time": Count("pk", filter=_on_time()),
        "blocked": Count("pk", filter=Q(status=ActionItem.Status.BLOCKED)),
        "closed": Count("pk", filter=_closed()),
    }
    for label, low, high in AGE_BUCKETS:
        # Age in whole days since creation: created on or after the start of today-high.
        age = Q(created_at__lt=_day_start(today - datetime.timedelta(days=low - 1)))
        if high is not None:
            age &= Q(created_at__gte=_day_start(today - datetime.timedelta(days=high)))
        for priority in ActionItem.Priority.values:
            aggregates[f"age|{label}|{priority}"] = Count(
                "pk", filter=open_ & age & Q(priority=priority)
            )
    weeks = _weeks(today)
    for n, start in enumerate(weeks):
        begin, end = _day_start(start), _day_start(start + datetime.timedelta(weeks=1))
        aggregates[f"created|{n}"] = Count(
            "pk", filter=Q(created_at__gte=begin, created_at__lt=end)
        )
        aggregates[f"completed|{n}"] = Count(
            "pk", filter=done & Q(completed_at__gte=begin, completed_at__lt=end)
        )
    if postgres:
        aggregates["median_close"] = PercentileCont(_time_to_close(), filter=_closed())
    row = queryset.order_by().aggregate(**aggregates)

    median = row["median_close"] if postgres else _median_by_offset(queryset, row["closed"])
    figures = {
        key: row[key]
        for key in (
            "total",
            "open",
            "overdue",
            "due_soon",
            "completed_30",
            "done",
            "done_on_time",
            "blocked",
            "closed",
        )
    }
    figures["on_time_rate"] = (row["done_on_time"] / row["done"]) if row["done"] else None
    figures["median_days_to_close"] = (
        round(median.total_seconds() / 86400, 1) if median is not None else None
    )
    figures["age_chart"] = [
        {
            "label": label,
            "by_priority": [
                (priority, row[f"age|{label}|{priority}"])
                for priority in ActionItem.Priority.values
            ],
            "total": sum(row[f"age|{label}|{p}"] for p in ActionItem.Priority.values),
        }
        for label, _low, _high in AGE_BUCKETS
    ]
    figures["week_chart"] = [
        {"start": start, "created": row[f"created|{n}"], "completed": row[f"completed|{n}"]}
        for n, start in enumerate(weeks)
    ]
    return figures


def _median_by_offset(queryset, count):
    """Median time to close with one ordered query reading at most two rows."""
    if not count:
        return None
    middle = (count - 1) // 2
    values = list(
        queryset.filter(_closed())
        .annotate(days_to_close=DaysBetween("completed_at", "created_at"))
        .order_by("days_to_close")
        .values_list("days_to_close", flat=True)[middle : middle + 2 - count % 2]
    )
    if not values:
        return None
    return datetime.timedelta(days=sum(values) / len(values))


def dashboard_team_rows(queryset, *, today=None):
    """Per-team open / overdue / on-time rate / oldest open item, in one grouped query."""
    today = today or timezone.localdate()
    done = Q(status=ActionItem.Status.DONE)
    rows = list(
        queryset.order_by()
        .values("team_id", "team__name")
        .annotate(
            open=Count("pk", filter=_open()),
            overdue=Count("pk", filter=_overdue(today)),
            done=Count("pk", filter=done),
            done_on_time=Count("pk", filter=_on_time()),
            oldest_open=Min("created_at", filter=_open()),
        )
        .order_by("-overdue", "-open", "team__name")
    )
    for row in rows:
        row["on_time_rate"] = row["done_on_time"] / row["done"] if row["done"] else None
        row["oldest_open_days"] = (
            (today - timezone.localdate(row["oldest_open"])).days if row["oldest_open"] else None
        )
    return rows


def dashboard_filter_options():
    """The filter form's team and people ``<option>`` lists as HTML (the same for
    everyone), kept like the dashboard's figures: the people list has hundreds of names
    and appears twice, a template loop over it costs more than the rest of the form."""
    key = f"actions:dashboard:options:{dashboard_cache_version()}"
    options = cache.get(key)
    if options is None:
        options = tuple(
            "".join(f'<option value="{pk:d}">{escape(label)}</option>' for pk, label in choices)
            for choices in dashboard_filter_choices()
        )
        cache.set(key, options, settings.DASHBOARD_CACHE_SECONDS)
    return options


def dashboard_filter_choices():
    """Teams and assignable people for the filter form, in one query."""
    User = get_user_model()
    text = CharField()
    teams = Team.objects.annotate(
        kind=Value("team", output_field=text),
        a=F("name"),
        b=Value("", output_field=text),
        c=Value("", output_field=text),
    ).values_list("kind", "pk", "a", "b", "c")
    people = (
        User.objects.filter(memberships__isnull=False)
        .annotate(
            kind=Value("user", output_field=text),
            a=F("username"),
            b=F("first_name"),
            c=F("last_name"),
        )
        .values_list("kind", "pk", "a", "b", "c")
    )
    team_choices, people_choices = [], []
    for kind, pk, a, b, c in teams.order_by().union(people.order_by()):
        if kind == "team":
            team_choices.append((pk, a))
        else:
            full = f"{b} {c}".strip()
            people_choices.append((pk, f"{full} ({a})" if full else a))
    team_choices.sort(key=lambda choice: choice[1].lower())
    people_choices.sort(key=lambda choice: choice[1].lower())
    return team_choices, people_choices


EXPORT_COLUMNS = (
    ("id", "id"),
    ("title", "title"),
    ("postmortem_id", "postmortem_id"),
    ("postmortem", "postmortem__title"),
    ("severity", "postmortem__severity"),
    ("team", "team__name"),
    ("assignee", "assignee__username"),
    ("status", "status"),
    ("priority", "priority"),
    ("kind", "kind"),
    ("due_date", "due_date"),
    ("created_at", "created_at"),
    ("completed_at", "completed_at"),
    ("tracker_url", "tracker_url"),
)


def export_rows(queryset, sort, *, chunk_size=2000):
    """Tuples for the CSV export, read in chunks (never the whole result in memory)."""
    return (
        sorted_items(queryset, sort)
        .values_list(*(source for _name, source in EXPORT_COLUMNS))
        .iterator(chunk_size=chunk_size)
    )


def teams_with_dead_webhook(user):
    """Teams ``user`` manages whose Slack webhook Slack has declared gone (all such teams
    for superusers), for the banner ``actions/partials/_slack_banner.html``. Reuses the
    per-request list of managed teams, so the banner costs no query of its own."""
    return [team for team in managed_teams(user) if team.slack_webhook_disabled_reason]
