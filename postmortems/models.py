from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .bounds import NulFreeTextMixin
from .validators import validate_slack_webhook_url


class Team(NulFreeTextMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams", blank=True
    )
    slack_webhook_url = models.URLField(
        _("Slack incoming webhook URL"),
        max_length=500,
        blank=True,
        default="",
        validators=[validate_slack_webhook_url],
    )
    # Set when Slack says the hook is gone (403/404/410); cleared when a manager saves a new URL.
    slack_webhook_disabled_reason = models.CharField(
        _("Slack webhook disabled because"), max_length=200, blank=True, default=""
    )
    language = models.CharField(
        _("Slack message language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # One-person teams have nobody else to review; each self-review is then recorded in
    # the postmortem's history.
    allow_self_review = models.BooleanField(
        _("allow self-review"),
        default=False,
        help_text=_(
            "Authors may review and publish their own postmortems. Only for teams of one; "
            "each use is recorded in the postmortem's history."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("postmortems:team_settings", args=[self.slug])

    @property
    def slack_webhook_masked(self):
        from postmortems.slack import mask_url

        return mask_url(self.slack_webhook_url)

    @property
    def slack_active(self):
        return bool(self.slack_webhook_url) and not self.slack_webhook_disabled_reason


class Membership(NulFreeTextMixin, models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        # Managers change team settings and make bulk changes on the dashboard.
        MANAGER = "manager", _("Manager")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} in {self.team} ({self.role})"


class Profile(NulFreeTextMixin, models.Model):
    """Per-user preferences: display time zone, language and Slack member id."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )
    slack_member_id = models.CharField(
        _("Slack member ID"),
        max_length=32,
        blank=True,
        default="",
        help_text=_("Lets reminders mention you, e.g. U012AB3CD."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"Profile of {self.user}"


class Theme(NulFreeTextMixin, models.Model):
    """A recurring weakness ("alert fatigue", "config drift") that factors are tagged with."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True, default="")
    # Comma- or newline-separated words, English and Korean, used to suggest the theme.
    keywords = models.TextField(_("keywords"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    @property
    def keyword_list(self):
        return [w.strip() for w in self.keywords.replace("\n", ",").split(",") if w.strip()]


class Severity(models.TextChoices):
    SEV1 = "SEV1", _("SEV1 — critical: most users cannot use the product")
    SEV2 = "SEV2", _("SEV2 — major: a key feature is down or badly degraded")
    SEV3 = "SEV3", _("SEV3 — minor: partial or short impact with a workaround")
    SEV4 = "SEV4", _("SEV4 — low: little or no customer impact, worth learning from")


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
    history = HistoricalRecords(
        excluded_fields=[f"{s}_html" for s in SECTIONS],
        m2m_fields=[authors, reviewers, viewers],
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status"]),
            models.Index(fields=["started_at"]),
        ]
        verbose_name = _("postmortem")
        verbose_name_plural = _("postmortems")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("postmortems:detail", args=[self.pk])

    @property
    def time_to_detect(self):
        return _duration(self.started_at, self.detected_at)

    @property
    def time_to_mitigate(self):
        return _duration(self.started_at, self.mitigated_at)

    @property
    def time_to_resolve(self):
        return _duration(self.started_at, self.resolved_at)


def _duration(start, end):
    if start is None or end is None:
        return None
    return end - start


class SeverityTemplate(models.Model):
    """What a team's postmortems of one severity must contain before review and before
    publishing: lists of requirement keys from ``postmortems.severity_templates``. One row
    per team and severity, seeded with the defaults when the team is created."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="severity_templates")
    severity = models.CharField(_("severity"), max_length=4, choices=Severity)
    before_review = models.JSONField(_("required before review"), default=list, blank=True)
    before_publish = models.JSONField(_("required before publishing"), default=list, blank=True)

    class Meta:
        ordering = ["team", "severity"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "severity"], name="severity_template_unique_team_severity"
            )
        ]
        verbose_name = _("severity template")
        verbose_name_plural = _("severity templates")

    def __str__(self):
        return f"{self.team} {self.severity}"


class TimelineEvent(NulFreeTextMixin, models.Model):
    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        DETECTION = "detection", _("Detection")
        DIAGNOSIS = "diagnosis", _("Diagnosis")
        REPAIR = "repair", _("Repair")
        KEY_MOMENT = "key_moment", _("Key moment")
        COMMUNICATION = "communication", _("Communication")

    postmortem = models.ForeignKey(
        Postmortem, on_delete=models.CASCADE, related_name="timeline_events"
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.NOTE)
    text = models.TextField(_("text"))
    text_html = models.TextField(blank=True, default="", editable=False)
    pinned = models.BooleanField(_("pinned"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    markdown_fields = (("text", "text_html"),)
    history = HistoricalRecords(excluded_fields=["text_html"])

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["postmortem", "occurred_at"])]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M %Z} {self.get_kind_display()}"


class ContributingFactor(NulFreeTextMixin, models.Model):
    class Category(models.TextChoices):
        MONITORING = "monitoring", _("Monitoring & alerting")
        DEPLOY = "deploy", _("Deploy & change")
        CAPACITY = "capacity", _("Capacity")
        DEPENDENCY = "dependency", _("Dependency")
        CONFIGURATION = "configuration", _("Configuration")
        PROCESS = "process", _("Process & communication")
        DOCUMENTATION = "documentation", _("Documentation")
        TESTING = "testing", _("Testing")
        OTHER = "other", _("Other")

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="factors")
    category = models.CharField(_("category"), max_length=20, choices=Category)
    description = models.TextField(_("description"))
    description_html = models.TextField(blank=True, default="", editable=False)
    themes = models.ManyToManyField(
        Theme, related_name="factors", blank=True, verbose_name=_("themes")
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    markdown_fields = (("description", "description_html"),)
    history = HistoricalRecords(excluded_fields=["description_html"], m2m_fields=[themes])

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("contributing factor")
        verbose_name_plural = _("contributing factors")

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:60]}"


class ReviewComment(NulFreeTextMixin, models.Model):
    """A reviewer's comment on a section, factor or timeline event, with threaded replies."""

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="comments")
    # What the comment is about: "section:summary", "factor:<pk>", "event:<pk>" or "general".
    anchor = models.CharField(max_length=40, default="general")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(blank=True, default="", editable=False)
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    markdown_fields = (("body", "body_html"),)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return f"Comment by {self.author} on {self.anchor}"


class BlameAcknowledgement(NulFreeTextMixin, models.Model):
    """An author's reason for keeping a flagged phrase ("direct quote", "not about a person")."""

    postmortem = models.ForeignKey(
        Postmortem, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    # Where the phrase is: "section:summary", "factor:<pk>", "event:<pk>".
    location = models.CharField(max_length=40)
    rule = models.CharField(max_length=40)
    phrase = models.CharField(max_length=200)
    reason = models.CharField(_("reason"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "location", "rule", "phrase"],
                name="acknowledgement_unique_finding",
            )
        ]
        verbose_name = _("blame acknowledgement")
        verbose_name_plural = _("blame acknowledgements")

    def __str__(self):
        return f"{self.phrase!r} ({self.rule}) acknowledged"


class SlackMessage(NulFreeTextMixin, models.Model):
    """Outbox of Slack messages: written in the same transaction as the change that causes
    it, then delivered by a Celery task, so a failing webhook never loses a message."""

    class Kind(models.TextChoices):
        TEST = "test", _("Test message")
        PUBLISHED = "published", _("Postmortem published")
        REVIEW = "review", _("Review requested")
        RETURNED = "returned", _("Returned to the authors")
        REMINDERS = "reminders", _("Action-item reminders")
        DIGEST = "digest", _("Kaizen digest")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED_NO_WEBHOOK = "skipped_no_webhook", _("Not sent: no webhook")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="slack_messages")
    kind = models.CharField(max_length=20, choices=Kind)
    payload = models.JSONField()
    state = models.CharField(max_length=20, choices=State, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "-created_at"])]
        verbose_name = _("Slack message")
        verbose_name_plural = _("Slack messages")

    def __str__(self):
        return f"{self.get_kind_display()} to {self.team} ({self.state})"


class AuditEvent(models.Model):
    """One security-relevant action: who did what to which row, written in the same
    transaction as the change (``services.audit_record``). Team managers read their team's
    events; nothing secret is stored (webhook URLs are masked)."""

    class Action(models.TextChoices):
        RESTRICTED_ON = "restricted_on", _("Postmortem restricted")
        RESTRICTED_OFF = "restricted_off", _("Postmortem no longer restricted")
        VIEWER_ADDED = "viewer_added", _("Viewer added")
        VIEWER_REMOVED = "viewer_removed", _("Viewer removed")
        WEBHOOK_CHANGED = "webhook_changed", _("Slack webhook changed")
        REVIEW_RULES_CHANGED = "review_rules_changed", _("Review rules changed")
        ROLE_CHANGED = "role_changed", _("Role changed")
        EXPORT_CSV = "export_csv", _("CSV export")
        EXPORT_MARKDOWN = "export_markdown", _("Markdown export")
        LOCKOUT = "lockout", _("Sign-in locked out")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_events"
    )
    action = models.CharField(_("action"), max_length=30, choices=Action)
    target_type = models.CharField(max_length=50, blank=True, default="")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["team", "-at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.action} by {self.actor_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def detail_text(self):
        return ", ".join(f"{key}: {value}" for key, value in sorted(self.detail.items()))
