from django import forms
from django.utils.translation import gettext_lazy as _

from integrations.models import TrackerConnection


class TrackerConnectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tracker"), choices=TrackerConnection.Kind.choices)
    project = forms.CharField(
        label=_("Repository or project"),
        max_length=200,
        help_text=_("GitHub: owner/name. Jira: the project key, e.g. OPS."),
    )
    site_url = forms.URLField(
        assume_scheme="https",
        label=_("Jira site"),
        required=False,
        max_length=300,
        help_text=_("Jira only, e.g. https://acme.atlassian.net"),
    )
    account_email = forms.EmailField(label=_("Jira account e-mail"), required=False)
    token = forms.CharField(
        label=_("API token"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Stored encrypted and never shown again. Leave empty to use the server's "
            "GITHUB_TOKEN or JIRA_API_TOKEN."
        ),
    )


class IssueLinkForm(forms.Form):
    connection = forms.IntegerField(widget=forms.HiddenInput)
    reference = forms.CharField(
        label=_("Existing ticket"), max_length=300, help_text=_("#12, OPS-7 or the ticket's URL")
    )
