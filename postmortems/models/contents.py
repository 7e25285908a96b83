"""What a postmortem is made of: timeline events, contributing factors, themes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..bounds import NulFreeTextMixin
from .postmortem import Postmortem


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
    # Where an imported event came from ("PagerDuty", "Slack #inc-42"); empty when typed here.
    source = models.CharField(_("source"), max_length=100, blank=True, default="")
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
        indexes = [
            # The Kaizen drill-down joins a few hundred postmortems to their factors: with
            # the id in the index that join reads no factor row (their text is wide).
            models.Index(fields=["postmortem", "id"], name="factor_postmortem_id_idx"),
        ]
        verbose_name = _("contributing factor")
        verbose_name_plural = _("contributing factors")

    def __str__(self):
        return f"{self.get_category_display()}: {self.description[:60]}"
