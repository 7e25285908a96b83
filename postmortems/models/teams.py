"""Teams, who is in them, and each person's preferences."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..bounds import NulFreeTextMixin
from ..slack.client import mask_url
from ..validators import validate_slack_webhook_url


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
    # The user's names as the blame check reads them (a JSON array of lower-cased
    # variants, ``blame.people.encode_person_names``), written whenever the user is saved,
    # so the lint endpoint reads one column per user instead of normalising every name.
    # The database default lets a process still running the code before this column
    # insert profiles while a deploy migrates.
    person_names = models.TextField(editable=False, default="[]", db_default="[]")

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"Profile of {self.user}"


class LintPeople(models.Model):
    """Every active user's ``Profile.person_names`` in one row (the arrays' items joined
    with commas, in user order, at most ``selectors.people.LINT_PEOPLE_LIMIT`` users): what
    the lint endpoint reads instead of joining every user to their profile.

    On PostgreSQL, triggers rebuild it in the transaction of every write that changes who
    is active or what their names are (migration 0017); elsewhere the row is not kept and
    the endpoint reads the users."""

    names = models.TextField(default="")

    def __str__(self):
        return "names of the active users"
