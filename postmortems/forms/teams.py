"""Team settings and the personal profile."""

import zoneinfo

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .. import slack
from ..models import (
    Profile,
    Team,
)


class TeamSlackForm(forms.ModelForm):
    slack_webhook_url = forms.CharField(
        label=_("Slack incoming webhook URL"),
        required=False,
        max_length=2000,  # longer input gets the allow-list's own, clearer message
        widget=forms.URLInput(attrs={"placeholder": "https://hooks.slack.com/services/…"}),
        help_text=_("Leave empty to stop sending to Slack. The saved URL is shown masked."),
    )

    class Meta:
        model = Team
        fields = ["slack_webhook_url", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Never echo the saved secret back into the page.
        self.initial["slack_webhook_url"] = ""
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def clean_slack_webhook_url(self):
        url = self.cleaned_data["slack_webhook_url"].strip()
        if not url:
            return ""
        try:
            slack.check_url(url)
        except slack.WebhookURLError as exc:
            raise forms.ValidationError(str(exc)) from None
        return url


def _time_zone_choices():
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)

    class Meta:
        model = Profile
        fields = ["time_zone", "language", "slack_member_id"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


# --- Postmortems ----------------------------------------------------------------------------
