"""Review comments and blame acknowledgements on a postmortem."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..bounds import NulFreeTextMixin
from .postmortem import Postmortem


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
