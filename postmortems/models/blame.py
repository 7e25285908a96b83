"""What users teach the blameless-language hints: "Not blame" dismissals, and the record of
each hint's outcome (fixed or dismissed) that /metrics/ reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..bounds import NulFreeTextMixin
from .postmortem import Postmortem


class BlameDismissal(NulFreeTextMixin, models.Model):
    """A hint a user said is not blame ("Not blame", with an optional reason).

    It stops that hint in that place: the same rule on the same sentence in the same
    section, timeline event or contributing factor of the postmortem is not shown again
    (a dismissal made on text with no place yet covers the whole postmortem), in the live
    hints or at the publish gate. Team managers see their team's dismissals;
    ``export_blame_dismissals`` writes them out so real cases reach the evaluation corpus.
    """

    postmortem = models.ForeignKey(
        Postmortem, on_delete=models.CASCADE, related_name="blame_dismissals"
    )
    # Where the sentence was: "section:summary", "event:<pk>", "factor:<pk>", or "" when
    # the hint came from a text not saved yet.
    location = models.CharField(max_length=40, blank=True)
    rule = models.CharField(max_length=40)
    phrase = models.CharField(max_length=200)
    sentence = models.TextField()
    # sha256 of the sentence with its whitespace collapsed: what "the same sentence" means.
    sentence_key = models.CharField(max_length=64)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "location", "rule", "sentence_key"],
                name="dismissal_unique_hint_place",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="dismissal_created_idx")]
        verbose_name = _("blame dismissal")
        verbose_name_plural = _("blame dismissals")

    def __str__(self):
        return f"{self.phrase!r} ({self.rule}) dismissed"


class BlameHint(NulFreeTextMixin, models.Model):
    """A hint as the saved postmortem showed it, and what became of it: still open, fixed
    (gone on a later save without a dismissal) or dismissed. /metrics/ counts these."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="blame_hints")
    location = models.CharField(max_length=40)
    rule = models.CharField(max_length=40)
    sentence_key = models.CharField(max_length=64)
    phrase = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    first_seen = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "location", "rule", "sentence_key"],
                name="blame_hint_unique",
            )
        ]
        indexes = [models.Index(fields=["rule", "outcome"], name="blame_hint_rule_outcome_idx")]

    def __str__(self):
        return f"{self.rule} at {self.location}: {self.outcome}"
