from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.models import AlertSource
from postmortems.models import Severity


class AlertSourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tool"), choices=AlertSource.Kind.choices)
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("Optional, to tell two sources of the same tool apart."),
    )
    secret = forms.CharField(
        label=_("Secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Leave empty to have a new one generated. PagerDuty makes its own signing "
            "secret: paste it here."
        ),
    )


class SecretForm(forms.Form):
    secret = forms.CharField(
        label=_("New secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to have a new one generated."),
    )


class SeverityTableForm(forms.Form):
    rules = forms.CharField(
        label=_("Rules"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "One rule a line: the tool's severity or priority, “=”, ours. "
            "For example “P1 = SEV1” or “critical = SEV1”."
        ),
    )

    def clean_rules(self):
        rules = {}
        valid = {value.lower(): value for value in Severity.values}
        for number, line in enumerate(self.cleaned_data["rules"].splitlines(), start=1):
            if not line.strip():
                continue
            theirs, sep, ours = line.partition("=")
            theirs, ours = theirs.strip().lower(), ours.strip().lower()
            if not sep or not theirs or ours not in valid or len(theirs) > 50:
                raise forms.ValidationError(
                    _("Line %(number)s: write it as “P1 = SEV1”.") % {"number": number}
                )
            rules[theirs] = valid[ours]
        return rules

    @staticmethod
    def initial_text(rules):
        return "\n".join(f"{rule.value} = {rule.severity}" for rule in rules)
