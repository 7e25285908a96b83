import zipfile

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .export import ExportError, SlackExport

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class SlackUploadForm(forms.Form):
    archive = forms.FileField(
        label=_("Slack export (.zip)"),
        required=False,
        help_text=_("The workspace export: a folder per channel, a JSON file per day."),
    )
    text = forms.CharField(
        label=_("…or paste messages"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("Lines such as “[10:02 AM] carol: …”, with the day lines Slack shows."),
    )
    first_day = forms.DateField(
        label=_("Day of pasted lines above the first day line"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_archive(self):
        archive = self.cleaned_data.get("archive")
        if archive is None:
            return None
        if archive.size > settings.SLACK_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The export is larger than %(mb)d MB.")
                % {"mb": settings.SLACK_IMPORT_MAX_BYTES // 2**20}
            )
        if not zipfile.is_zipfile(archive):
            raise forms.ValidationError(_("This is not a zip file."))
        archive.seek(0)
        try:
            SlackExport(archive).close()
        except ExportError:
            raise forms.ValidationError(
                _("This zip is not a Slack export (no channel folders with day files).")
            ) from None
        archive.seek(0)
        return archive

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("archive")) == bool(data.get("text", "").strip()):
            raise forms.ValidationError(_("Upload an export or paste messages (one of the two)."))
        return data


class SlackWindowForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"))
    start = forms.DateTimeField(
        label=_("From"),
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    end = forms.DateTimeField(
        label=_("To"),
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    def __init__(self, *args, channels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [(c, f"#{c}") for c in channels]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The window ends before it starts."))
        return data
