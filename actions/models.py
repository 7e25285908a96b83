from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from postmortems.bounds import NulFreeTextMixin
from postmortems.models import ContributingFactor, Postmortem, SlackMessage, Team, Theme


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def visible_to(self, user: Any) -> "ActionItemQuerySet":
        """Items of the postmortems ``user`` may read (``Postmortem.objects.visible_to``)."""
        return self.filter(postmortem__in=Postmortem.objects.visible_to(user))


# The statuses that count as open; ``ActionItem.OPEN_STATUSES`` (a class attribute cannot be
# read in the class body's Meta).
_OPEN_STATUSES = ("open", "in_progress", "blocked")


def is_closed_key() -> models.Case:
    """0 for an open item, 1 for a closed one: the dashboard's default order sorts on it
    first, and an index on exactly this expression serves that order."""
    return models.Case(
        models.When(status__in=_OPEN_STATUSES, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


class ActionItem(NulFreeTextMixin, models.Model):
    class Kind(models.TextChoices):
        PREVENT = "prevent", _("Prevent")
        DETECT = "detect", _("Detect")
        MITIGATE = "mitigate", _("Mitigate")
        PROCESS = "process", _("Process")

    class Priority(models.TextChoices):
        P1 = "P1", _("P1 — urgent")
        P2 = "P2", _("P2 — high")
        P3 = "P3", _("P3 — medium")
        P4 = "P4", _("P4 — low")

    class Status(models.TextChoices):
        # Agreed, nobody working on it yet.
        OPEN = "open", _("Open")
        # Someone is on it.
        IN_PROGRESS = "in_progress", _("In progress")
        # Waiting on something outside the team; the reason says what.
        BLOCKED = "blocked", _("Blocked")
        # Finished; completed_at is set.
        DONE = "done", _("Done")
        # Decided against, with a reason; counts as closed.
        WONT_DO = "wont_do", _("Won't do")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS, Status.BLOCKED)
    CLOSED_STATUSES = (Status.DONE, Status.WONT_DO)

    postmortem = models.ForeignKey(
        Postmortem,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("postmortem"),
    )
    factor = models.ForeignKey(
        ContributingFactor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("contributing factor"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.PREVENT)
    priority = models.CharField(_("priority"), max_length=2, choices=Priority, default=Priority.P3)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN)
    status_reason = models.CharField(
        _("reason"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Why it is blocked or will not be done."),
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("owner team")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("assignee"),
    )
    due_date = models.DateField(_("due date"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    tracker_url = models.URLField(_("tracker URL"), max_length=500, blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    notes_html = models.TextField(blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    markdown_fields = (("notes", "notes_html"),)
    objects = ActionItemQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["notes_html"])

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["team", "status", "due_date"]),
            models.Index(fields=["assignee", "status", "due_date"]),
            models.Index(fields=["completed_at"]),
            # The dashboard's default order: its first page reads 50 rows of this index.
            models.Index(fields=["due_date", "id"]),
            # Home's "my open actions": mine, then my teams', by due date. Only open items,
            # a sixth of the table, so the page reads a few rows instead of scanning all.
            models.Index(
                fields=["assignee", "due_date", "id"],
                condition=Q(status__in=["open", "in_progress", "blocked"]),
                name="actionitem_open_assignee_idx",
            ),
            models.Index(
                fields=["team", "due_date", "id"],
                condition=Q(status__in=["open", "in_progress", "blocked"]),
                name="actionitem_open_team_idx",
            ),
            # The Kaizen drill-down's first open items of each theme: walked in due-date
            # order, a theme stops after a few rows (factor and postmortem read from here);
            # the Kaizen counts read every open item from this index alone.
            models.Index(
                fields=["due_date", "id"],
                include=["factor", "postmortem", "created_at", "kind"],
                condition=Q(status__in=["open", "in_progress", "blocked"]),
                name="actionitem_open_due",
            ),
            # The dashboard's default order (open first, then by due date): its first page
            # reads 50 rows of this index instead of sorting every visible item.
            models.Index(
                is_closed_key(), models.F("due_date"), models.F("id"), name="actionitem_open_first"
            ),
            # The same order within one team, the filter a manager sets first: a team's first
            # page reads its 50 rows here instead of walking every team's items in the
            # index above (about 13,600 rows passed over for one team of 200 at 100k items).
            models.Index(
                models.F("team"),
                is_closed_key(),
                models.F("due_date"),
                models.F("id"),
                name="actionitem_team_open_first",
            ),
            # The dashboard's figures per team: on PostgreSQL every column they read is in
            # the index (INCLUDE), so a team's figures never touch the table.
            models.Index(
                fields=["team"],
                include=[
                    "postmortem",
                    "status",
                    "priority",
                    "due_date",
                    "created_at",
                    "completed_at",
                ],
                name="actionitem_team_figures",
            ),
        ]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class ReminderLog(NulFreeTextMixin, models.Model):
    """One reminder of one kind for one item on one day.

    The unique constraint is the claim that makes reminders exactly-once: a sweep inserts
    the row before sending, and only the process whose insert succeeded sends it.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        DUE_TODAY = "due_today", _("Due today")
        OVERDUE = "overdue", _("Overdue")
        UNASSIGNED = "unassigned", _("Unassigned")

    class State(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED_NO_WEBHOOK = "skipped_no_webhook", _("Not sent: no webhook")

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=12, choices=Kind)
    for_date = models.DateField()
    state = models.CharField(max_length=20, choices=State, default=State.CLAIMED)
    message = models.ForeignKey(
        SlackMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders"
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-for_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "kind", "for_date"], name="reminderlog_unique_item_kind_date"
            )
        ]
        indexes = [models.Index(fields=["kind", "item", "-for_date"])]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.kind} for {self.item_id} on {self.for_date} ({self.state})"


class ThemeRollup(NulFreeTextMixin, models.Model):
    """Weekly counts for one theme, overall (team empty) or for one team."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="rollups")
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="theme_rollups"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    postmortem_count = models.PositiveIntegerField(default=0)
    factor_count = models.PositiveIntegerField(default=0)
    open_action_count = models.PositiveIntegerField(default=0)
    overdue_action_count = models.PositiveIntegerField(default=0)
    # postmortem_count minus the previous period's.
    change = models.IntegerField(default=0)
    # The same four counts without restricted postmortems: what everyone who may not read
    # them all is shown, so a theme typed on a restricted postmortem (or one more incident
    # of a theme) never shows up to outsiders.
    open_postmortem_count = models.PositiveIntegerField(default=0)
    open_factor_count = models.PositiveIntegerField(default=0)
    open_open_action_count = models.PositiveIntegerField(default=0)
    open_overdue_action_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "theme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme", "team", "period_start"], name="themerollup_unique_team_period"
            ),
            models.UniqueConstraint(
                fields=["theme", "period_start"],
                condition=Q(team__isnull=True),
                name="themerollup_unique_overall_period",
            ),
        ]
        verbose_name = _("theme roll-up")
        verbose_name_plural = _("theme roll-ups")

    def __str__(self):
        return f"{self.theme} {self.period_start}–{self.period_end}"


class KaizenReview(NulFreeTextMixin, models.Model):
    """What a team chose to improve in a Kaizen review session."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="kaizen_reviews")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    notes = models.TextField(_("what we chose to improve"))
    notes_html = models.TextField(blank=True, default="", editable=False)
    action_items = models.ManyToManyField(
        ActionItem, blank=True, related_name="kaizen_reviews", verbose_name=_("action items")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    markdown_fields = (("notes", "notes_html"),)

    class Meta:
        ordering = ["-period_end", "-id"]
        verbose_name = _("Kaizen review")
        verbose_name_plural = _("Kaizen reviews")

    def __str__(self):
        return f"{self.team} review {self.period_start}–{self.period_end}"


# --- The dashboard's maintained counts (PostgreSQL) -------------------------------------------

# What ``DashboardCounts`` keeps per team, in the order of the dashboard's figures
# (``actions.dashboard.figures``): each column counts the team's items matching one
# figure's condition as of the team's ``DashboardDay.day``.
DASHBOARD_COUNT_COLUMNS: tuple[str, ...] = (
    "total",
    "open",
    "overdue",
    "due_soon",
    # Done at or after the end of the day, 30 days (720 hours) back: done in the last 30
    # days at any time of that day. The hours before it are counted live.
    "completed_30",
    "done",
    "done_on_time",
    "blocked",
    "closed",
    # Open items by age bucket (0-7, 8-30, 31-90, >90 days) and priority.
    *(f"age_{bucket}_p{priority}" for bucket in range(4) for priority in range(1, 5)),
    # Items created, and items done, in each of the last 12 weeks (oldest first).
    *(f"{what}_{week}" for week in range(12) for what in ("created", "completed")),
)


class DashboardDay(models.Model):
    """The day (and zone) a team's ``DashboardCounts`` are counted as of; rebuilt when the
    day changes. Writers lock it shared and a rebuild exclusively, so a rebuild never
    misses a change being made (see migration 0009)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, primary_key=True, related_name="+")
    # Empty until the team's counts are first built.
    day = models.DateField(null=True)
    zone = models.CharField(max_length=64, default="")

    def __str__(self):
        return f"{self.team_id} as of {self.day} {self.zone}"


class DashboardCounts(models.Model):
    """The dashboard's figures for one team's items, those of restricted postmortems apart.

    Kept by PostgreSQL triggers in the transaction of every write to an item (or to a
    postmortem's ``restricted``), whatever wrote it; read by ``actions.dashboard.counts``.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    restricted = models.BooleanField()
    oldest_open = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "restricted"], name="dashboardcounts_unique_team_restricted"
            )
        ]

    def __str__(self):
        return f"{self.team_id}{' restricted' if self.restricted else ''}"


for _column in DASHBOARD_COUNT_COLUMNS:
    DashboardCounts.add_to_class(_column, models.IntegerField(default=0))


class DashboardCloseDays(models.Model):
    """How many closed items took ``tenths`` whole tenths of a day to close, over all teams
    (restricted postmortems apart): where the median time to close lies, without sorting
    every item."""

    restricted = models.BooleanField()
    tenths = models.IntegerField()
    items = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["restricted", "tenths"], name="dashboardclosedays_unique_restricted_tenths"
            )
        ]

    def __str__(self):
        return f"{self.items} closed in {self.tenths / 10} days"


class MetricsDay(models.Model):
    """The figures of one UTC day, severity and scope over the postmortems that are not
    restricted: what ``/metrics/`` reads instead of every postmortem and action item.

    ``team`` is the scope (NULL: every team). The incident figures count the incidents
    of that day (their start, or when they were written); medians and p90s do not add up,
    so the durations themselves are kept, sorted, as little-endian int64 microseconds
    (``actions.metrics.stored``). The action-item figures count the items due that day
    (owner team; severity of their postmortem): ``actions_done`` were completed
    (``actions_on_time`` of them on or before the due date in UTC), ``actions_open`` are
    neither done nor won't do and count as late once the day has passed.

    Rewritten from the tables in the transaction that changes one of the postmortems or
    items (``actions.services.metrics_figures``); restricted postmortems are added per
    reader when the report is read."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, related_name="+")
    day = models.DateField()
    severity = models.CharField(max_length=8)
    # The sum of the month's day rows, ``day`` being the first of the month: a report over
    # whole months reads 12 rows per severity instead of 365.
    whole_month = models.BooleanField(default=False)
    incidents = models.PositiveIntegerField(default=0)
    caused_by_change = models.PositiveIntegerField(default=0)
    missing_detected = models.PositiveIntegerField(default=0)
    missing_resolved = models.PositiveIntegerField(default=0)
    missing_published = models.PositiveIntegerField(default=0)
    detect = models.BinaryField(default=b"")
    resolve = models.BinaryField(default=b"")
    publish = models.BinaryField(default=b"")
    actions_done = models.PositiveIntegerField(default=0)
    actions_on_time = models.PositiveIntegerField(default=0)
    actions_open = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "whole_month", "day", "severity"], name="metrics_day_team_uniq"
            ),
            models.UniqueConstraint(
                fields=["whole_month", "day", "severity"],
                condition=Q(team__isnull=True),
                name="metrics_day_all_uniq",
            ),
        ]

    def __str__(self) -> str:
        period = self.day.strftime("%Y-%m") if self.whole_month else self.day.isoformat()
        return f"{period} {self.severity} team={self.team_id or 'all'}"


class KaizenOpenDay(models.Model):
    """The day ``KaizenOpenItems.overdue`` is counted as of (one row). Writers lock it
    shared and a rebuild exclusively, so a rebuild never misses a change being made (see
    migration 0011); a reader on a later day counts the items that fell due since."""

    day = models.DateField(null=True)

    def __str__(self):
        return f"open items as of {self.day}"


class KaizenOpenItems(models.Model):
    """The open action items linked to a theme (through their factor), per owner team, those
    of each restricted postmortem apart: what the Kaizen page counts per theme instead of
    joining every open item to the themes.

    Kept by PostgreSQL triggers in the transaction of every write to an item, a factor's
    themes or a postmortem's ``restricted``, whatever wrote it; read by
    ``actions.kaizen.open_items``. No foreign keys: rows follow the items, not deletions of
    the rows they name (the triggers take a deleted theme's or item's counts off)."""

    theme_id = models.BigIntegerField()
    team_id = models.BigIntegerField()
    # The restricted postmortem the items belong to; 0 for postmortems that are not
    # restricted (readers may open all of those, and only some of the restricted ones).
    restricted_postmortem = models.BigIntegerField(default=0)
    open = models.IntegerField(default=0)
    # Due on or before ``KaizenOpenDay.day``.
    overdue = models.IntegerField(default=0)
    prevent = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["theme_id", "team_id", "restricted_postmortem"],
                name="kaizenopenitems_unique_key",
            )
        ]

    def __str__(self):
        return f"theme {self.theme_id} team {self.team_id}: {self.open} open"


class KaizenThemePostmortem(models.Model):
    """A postmortem with factors linked to a theme: one row per theme and postmortem, with
    the postmortem's incident time (``started_at``, else ``created_at``), team and
    ``restricted``, so the Kaizen drill-down counts and lists a theme's postmortems of a
    range from one index instead of joining every factor of every postmortem in it.

    Kept by PostgreSQL triggers (migration 0014) in the transaction of every write to a
    factor's themes, a factor or a postmortem, whatever wrote it; read by
    ``actions.kaizen.drilldown``. No foreign keys, as ``KaizenOpenItems``."""

    theme_id = models.BigIntegerField()
    postmortem_id = models.BigIntegerField()
    at = models.DateTimeField()
    team_id = models.BigIntegerField()
    restricted = models.BooleanField(default=False)
    # The postmortem's factors linked to the theme: the row goes when none is left.
    factors = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["theme_id", "postmortem_id"], name="kaizenthemepostmortem_unique_key"
            )
        ]
        indexes = [
            # A theme's postmortems of a range, newest first; the reader's and team's
            # checks from the index alone.
            models.Index(
                fields=["theme_id", "-at", "-postmortem_id"],
                include=["restricted", "team_id"],
                name="kaizenthemepm_theme_at_idx",
            ),
            # The same for one team's page.
            models.Index(
                fields=["team_id", "theme_id", "-at", "-postmortem_id"],
                include=["restricted"],
                name="kaizenthemepm_team_at_idx",
            ),
        ]

    def __str__(self):
        return f"theme {self.theme_id} postmortem {self.postmortem_id}"
