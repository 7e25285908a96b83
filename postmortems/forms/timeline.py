"""Timeline events: one at a time, or pasted lines to import."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from ..fields import (
    BoundedDateTimeMixin,
)
from ..incident_window import future_error, outside_warning
from ..models import (
    TimelineEvent,
)
from ..timeline import ZoneError, localize
from .datetimes import DATETIME_TEXT_INPUT_FORMATS, DateTimeTextInput


class TimelineDateTimeField(BoundedDateTimeMixin, forms.DateTimeField):
    """A full date and time; without an offset it is read in the author's (active) zone, and
    a time a DST change skipped or repeated is refused with a reason."""

    widget = DateTimeTextInput(format="%Y-%m-%d %H:%M:%S")
    input_formats = DATETIME_TEXT_INPUT_FORMATS

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            if exc.code != "ambiguous_timezone":
                raise
            try:
                localize(parse_datetime(str(value).strip()), timezone.get_current_timezone())
            except ZoneError as reason:
                raise forms.ValidationError(str(reason), code="ambiguous_timezone") from None
            raise


class TimelineEventForm(forms.Form):
    occurred_at = TimelineDateTimeField(label=_("When"))
    kind = forms.ChoiceField(label=_("Kind"), choices=TimelineEvent.Kind.choices)
    text = forms.CharField(
        label=_("What happened (Markdown)"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2, "data-lint": "timeline"}),
    )
    # Shown only after a time far outside the incident was refused once.
    outside_ok = forms.BooleanField(label=_("The time is right: save it anyway"), required=False)

    def __init__(self, *args, prefix_id="new", postmortem=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.postmortem = postmortem  # the incident whose window the time is checked against
        self.needs_confirmation = False
        self.auto_id = f"id_event_{prefix_id}_%s"
        if prefix_id != "new":
            # The place a "Not blame" on this event's hints is remembered for.
            self.fields["text"].widget.attrs["data-lint-location"] = f"event:{prefix_id}"
        self.fields["text"].max_length = settings.TIMELINE_EVENT_MAX_CHARS
        self.fields["text"].validators.append(MaxLengthValidator(settings.TIMELINE_EVENT_MAX_CHARS))
        self.fields["occurred_at"].help_text = _("Times are in %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }

    def clean(self):
        """A time in the future is refused; one far outside the incident is refused until
        the author confirms it (``outside_ok``). An edited event whose time is unchanged
        needs no confirmation."""
        cleaned = super().clean()
        occurred_at = cleaned.get("occurred_at")
        if occurred_at is None or self.postmortem is None:
            return cleaned
        if reason := future_error(occurred_at):
            self.add_error("occurred_at", reason)
            return cleaned
        confirmed = cleaned.get("outside_ok") or occurred_at == self.initial.get("occurred_at")
        warning = None if confirmed else outside_warning(self.postmortem, occurred_at)
        if warning:
            self.needs_confirmation = True
            self.add_error("occurred_at", warning)
        return cleaned


class TimelineImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the timeline, one event a line"),
        max_length=200_000,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "data-lint": "timeline",
                "class": "font-monospace",
                "spellcheck": "false",
                "placeholder": "2026-11-20 14:03 UTC [detection] Checkout error rate alert\n"
                "14:10 Rolled back the deploy",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_import_%s")
        super().__init__(*args, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"]
        lines = sum(1 for line in text.splitlines() if line.strip())
        if lines > settings.TIMELINE_PASTE_MAX_LINES:
            raise forms.ValidationError(
                _("Paste at most %(limit)s lines at a time; this paste has %(count)s.")
                % {"limit": settings.TIMELINE_PASTE_MAX_LINES, "count": lines}
            )
        return text
