"""The postmortem itself, with the one rule about who may read it."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..bounds import NulFreeTextMixin
from ..durations import span
from .indexes import NullsLastIndex
from .teams import Membership, Team


class Severity(models.TextChoices):
    SEV1 = "SEV1", _("SEV1 — critical: most users cannot use the product")
    SEV2 = "SEV2", _("SEV2 — major: a key feature is down or badly degraded")
    SEV3 = "SEV3", _("SEV3 — minor: partial or short impact with a workaround")
    SEV4 = "SEV4", _("SEV4 — low: little or no customer impact, worth learning from")


class PostmortemQuerySet(models.QuerySet["Postmortem"]):
    def visible_to(self, user: Any) -> "PostmortemQuerySet":
        """Every postmortem ``user`` may read: the one place restriction is enforced.

        A restricted postmortem is visible to members of its team, its authors, reviewers
        and listed viewers, and superusers; everybody else never sees it (views answer 404,
        docs/architecture.md "Permissions").
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(ReadableBy(user.pk))


class ReadableBy(models.Expression):
    """``visible_to``'s condition for the person with primary key ``user_id``: not
    restricted, or a member of the postmortem's team, or listed as author, reviewer or
    viewer. The same SQL as ``Q(restricted=False) | Exists(...) | ...`` over the membership
    and the three through tables, written out once here: the four ``Exists`` subqueries
    cost more to build and compile than most of the queries they sit in run for, and every
    list of postmortems or action items carries them."""

    output_field = models.BooleanField()

    # Aliases of the subqueries' tables: never one Django generates (an upper-case letter
    # and a number, or a table name), so a column of the outer query is never shadowed.
    _LISTED = (
        ("visible_a", "authors"),
        ("visible_r", "reviewers"),
        ("visible_v", "viewers"),
    )

    def __init__(self, user_id: int) -> None:
        super().__init__()
        self.user_id = user_id
        self.source_expressions = [F("restricted"), F("team_id"), F("pk")]

    def get_source_expressions(self) -> list[Any]:
        return self.source_expressions

    def set_source_expressions(self, exprs: Any) -> None:
        self.source_expressions = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        quote = connection.ops.quote_name
        restricted, team_id, pk = (compiler.compile(e)[0] for e in self.source_expressions)
        membership: Any = Membership._meta
        team, user = (quote(membership.get_field(f).column) for f in ("team", "user"))
        parts = [
            f"NOT {restricted}",
            f'EXISTS(SELECT 1 AS "a" FROM {quote(membership.db_table)} visible_m '  # noqa: S608 -- names only
            f"WHERE (visible_m.{team} = ({team_id}) AND visible_m.{user} = %s) LIMIT 1)",
        ]
        for alias, name in self._LISTED:
            field: Any = Postmortem._meta.get_field(name)
            table = quote(field.m2m_db_table())
            own, other = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
            parts.append(
                f'EXISTS(SELECT 1 AS "a" FROM {table} {alias} '  # noqa: S608 -- names only
                f"WHERE ({alias}.{own} = ({pk}) AND {alias}.{other} = %s) LIMIT 1)"
            )
        return "(" + " OR ".join(parts) + ")", (self.user_id,) * len(parts[1:])


class Postmortem(NulFreeTextMixin, models.Model):
    class Status(models.TextChoices):
        # Being written; only the team, authors and reviewers are expected to look.
        DRAFT = "draft", _("Draft")
        # Authors asked for review; reviewers comment, authors revise.
        IN_REVIEW = "in_review", _("In review")
        # Reviewed and shared; still editable, every change in the history.
        PUBLISHED = "published", _("Published")
        # The incident needs no write-up; the reason is recorded.
        NOT_REQUIRED = "not_required", _("Not required")

    SECTIONS = ("summary", "impact", "went_well", "got_lucky", "surprises")

    title = models.CharField(_("title"), max_length=200)
    severity = models.CharField(
        _("severity"), max_length=4, choices=Severity, default=Severity.SEV3
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="postmortems", verbose_name=_("team")
    )
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="authored_postmortems",
        blank=True,
        verbose_name=_("authors"),
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="reviewing_postmortems",
        blank=True,
        verbose_name=_("reviewers"),
    )
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="viewable_postmortems",
        blank=True,
        verbose_name=_("viewers"),
        help_text=_("People outside the team who may read a restricted postmortem."),
    )
    restricted = models.BooleanField(
        _("restricted"),
        default=False,
        help_text=_("Only the team, authors, reviewers and listed viewers can see it."),
    )
    caused_by_change = models.BooleanField(
        _("caused by a change"),
        default=False,
        help_text=_("A deploy, configuration or infrastructure change started the incident."),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    detected_at = models.DateTimeField(_("detected at"), null=True, blank=True)
    mitigated_at = models.DateTimeField(_("mitigated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    summary = models.TextField(_("summary"), blank=True, default="")
    impact = models.TextField(_("impact"), blank=True, default="")
    went_well = models.TextField(_("what went well"), blank=True, default="")
    got_lucky = models.TextField(_("where we got lucky"), blank=True, default="")
    surprises = models.TextField(_("why we were surprised"), blank=True, default="")
    # Sanitised HTML rendered on save, so read views never re-render Markdown.
    summary_html = models.TextField(blank=True, default="", editable=False)
    impact_html = models.TextField(blank=True, default="", editable=False)
    went_well_html = models.TextField(blank=True, default="", editable=False)
    got_lucky_html = models.TextField(blank=True, default="", editable=False)
    surprises_html = models.TextField(blank=True, default="", editable=False)

    not_required_reason = models.CharField(
        _("why no write-up is needed"), max_length=500, blank=True, default=""
    )
    no_action_items_reason = models.CharField(
        _("why no action items"),
        max_length=500,
        blank=True,
        default="",
        help_text=_("Where the severity template asks for action items and none are needed."),
    )
    # Optimistic lock: every save through the services increments it; a stale form gets 409.
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # (Markdown field, its rendered HTML) pairs, for `rerender_markdown`.
    markdown_fields = tuple((s, f"{s}_html") for s in SECTIONS)
    objects = PostmortemQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[f"{s}_html" for s in SECTIONS],
        m2m_fields=[authors, reviewers, viewers],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["started_at"]),
            # The list's default order (newest incident first, undated last): its first
            # page reads 25 rows of this index instead of sorting every visible postmortem.
            NullsLastIndex(
                F("started_at").desc(nulls_last=True),
                F("id").desc(),
                name="postmortem_started_desc_idx",
            ),
            # Home's "recently published": read backwards, ten rows.
            models.Index(fields=["status", "published_at", "id"], name="postmortem_published_idx"),
            # When an incident happened (Kaizen weeks, metrics months): a range of this
            # expression, not a scan of every postmortem.
            models.Index(Coalesce("started_at", "created_at"), name="postmortem_incident_at_idx"),
            # The few restricted postmortems (and their teams, for the visibility rule): the
            # sets "restricted" and "restricted but not readable by this user" read these
            # rows instead of every postmortem. ``restricted`` is carried too: the rule's
            # "not restricted or ..." names the column, and without it in the index every
            # restricted postmortem's row was read from the table (a cold dashboard's
            # readable set: 1.5 ms at 490 restricted postmortems, 0.5 ms from the index).
            models.Index(
                fields=["team", "id"],
                include=["restricted"],
                condition=Q(restricted=True),
                name="postmortem_restricted_idx",
            ),
        ]
        verbose_name = _("postmortem")
        verbose_name_plural = _("postmortems")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("postmortems:detail", args=[self.pk])

    @property
    def time_to_detect(self):
        return span(self.started_at, self.detected_at)

    @property
    def time_to_mitigate(self):
        return span(self.started_at, self.mitigated_at)

    @property
    def time_to_resolve(self):
        return span(self.started_at, self.resolved_at)
