"""What a team asks of its postmortems before review and publishing, per severity."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .postmortem import Severity
from .teams import Team


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
