"""The team settings form for review rules: "allow self-review" and the severity templates
(a grid of requirements × severity × step, one checkbox each)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Severity
from ..severity_templates import PUBLISH, REQUIREMENTS, REVIEW, template_for

STAGES = ((REVIEW, _("before review")), (PUBLISH, _("before publishing")))


def field_name(severity, stage):
    return f"{severity}_{stage}"


class TeamReviewRulesForm(forms.Form):
    allow_self_review = forms.BooleanField(
        label=_("Allow self-review"),
        required=False,
        help_text=_(
            "For teams of one: authors may be the reviewers and publish their own "
            "postmortems. Each use is recorded in the postmortem's history."
        ),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.initial.setdefault("allow_self_review", team.allow_self_review)
        choices = [(key, requirement.label) for key, requirement in REQUIREMENTS.items()]
        for severity in Severity.values:
            review, publish = template_for(team.pk, severity)
            for stage, keys in ((REVIEW, review), (PUBLISH, publish)):
                name = field_name(severity, stage)
                self.fields[name] = forms.MultipleChoiceField(
                    choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
                self.initial.setdefault(name, keys)

    def templates(self):
        """``{severity: (review keys, publish keys)}`` from the cleaned data."""
        return {
            severity: (
                self.cleaned_data[field_name(severity, REVIEW)],
                self.cleaned_data[field_name(severity, PUBLISH)],
            )
            for severity in Severity.values
        }

    def grid(self):
        """Rows for the template: (requirement, [(name, checked, severity, stage label)])."""
        columns = [
            (severity, stage, label) for severity in Severity.values for stage, label in STAGES
        ]
        selected = {
            (severity, stage): set(self[field_name(severity, stage)].value() or ())
            for severity, stage, _label in columns
        }
        return [
            (
                requirement,
                [
                    {
                        "name": field_name(severity, stage),
                        "checked": key in selected[(severity, stage)],
                        "severity": severity,
                        "stage": label,
                    }
                    for severity, stage, label in columns
                ],
            )
            for key, requirement in REQUIREMENTS.items()
        ]
