import datetime
import json
import zoneinfo

from crispy_forms.bootstrap import AppendedText, FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import slack
from .fields import (
    BoundedDateField,
    BoundedDateTimeField,
    BoundedDateTimeMixin,
    IdField,
    IdModelChoiceField,
    IdModelMultipleChoiceField,
)
from .models import (
    ContributingFactor,
    Postmortem,
    Profile,
    ReviewComment,
    Severity,
    Team,
    Theme,
    TimelineEvent,
)
from .services import POSTMORTEM_M2M_FIELDS, POSTMORTEM_TIME_FIELDS, postmortem_time_errors


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

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


DATETIME_TEXT_FORMAT = "%Y-%m-%d %H:%M"


class DateTimeTextInput(forms.DateTimeInput):
    """One text box for a date and time ("2026-11-20 14:03"), in the user's zone.

    Chromium's ``datetime-local`` makes every segment (month, day, year, hour, minute,
    AM/PM) a Tab stop of its own: six or seven per field, and a keyboard user crosses every
    one on the way to the next field. One box is one Tab stop, takes a pasted time as it is
    and reads the same in every locale."""

    input_type = "text"

    def __init__(self, attrs=None, format=DATETIME_TEXT_FORMAT):
        attrs = {
            "placeholder": "2026-11-20 14:03",
            "autocomplete": "off",
            "spellcheck": "false",
            "pattern": r"\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2})?",
            "class": "font-monospace",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format=format)


# What a date-time box accepts: with a space or a "T", with or without seconds.
DATETIME_TEXT_INPUT_FORMATS = [
    DATETIME_TEXT_FORMAT,
    "%Y-%m-%d %H:%M:%S",
    DATETIME_LOCAL_FORMAT,
    "%Y-%m-%dT%H:%M:%S",
]


STALE_FORM_MESSAGE = _(
    "This form did not say which version of the postmortem it edits, so it was not saved. "
    "Reload the page and make your change again."
)


class PostmortemForm(forms.ModelForm):
    """Create and edit. Times are read and shown in the active (the user's) time zone."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    class Meta:
        model = Postmortem
        fields = [
            "title",
            "severity",
            "team",
            "authors",
            "reviewers",
            "viewers",
            "restricted",
            "caused_by_change",
            "started_at",
            "detected_at",
            "mitigated_at",
            "resolved_at",
            *Postmortem.SECTIONS,
        ]
        field_classes = {
            **dict.fromkeys(POSTMORTEM_TIME_FIELDS, BoundedDateTimeField),
            **dict.fromkeys(POSTMORTEM_M2M_FIELDS, IdModelMultipleChoiceField),
            "team": IdModelChoiceField,
        }
        widgets = {
            **{name: DateTimeTextInput() for name in POSTMORTEM_TIME_FIELDS},
            "authors": forms.SelectMultiple(attrs={"size": 5}),
            "reviewers": forms.SelectMultiple(attrs={"size": 5}),
            "viewers": forms.SelectMultiple(attrs={"size": 5}),
        }
        help_texts = {
            "authors": _("Hold Ctrl (⌘ on a Mac) to pick several people."),
            "reviewers": _("They are asked to review when you send it for review."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from .selectors import teams_for_postmortem_form

        self.user = user
        teams = teams_for_postmortem_form(user)
        if self.instance.pk and self.instance.team_id:
            # An author from outside the team can still save without moving the postmortem.
            teams = Team.objects.filter(
                Q(pk__in=teams.values("pk")) | Q(pk=self.instance.team_id)
            ).order_by("name")
        self.fields["team"].queryset = teams
        if not self.instance.pk and not self.is_bound and teams.count() == 1:
            self.initial["team"] = teams.first().pk
        people = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
        for name in POSTMORTEM_M2M_FIELDS:
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _person_label

        self.fields["title"].widget.attrs["autofocus"] = not self.instance.pk
        zone = timezone.get_current_timezone_name()
        for name in POSTMORTEM_TIME_FIELDS:
            field = self.fields[name]
            field.input_formats = DATETIME_TEXT_INPUT_FORMATS
            field.help_text = _("In your time zone, %(zone)s.") % {"zone": zone}

        limit = settings.POSTMORTEM_SECTION_MAX_CHARS
        for name in Postmortem.SECTIONS:
            field = self.fields[name]
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            field.widget.attrs.update(
                {
                    "rows": 8,
                    "data-lint": "",
                    "data-maxlength": limit,
                    "class": "section-input font-monospace",
                    "aria-describedby": f"id_{name}_count",
                    "hx-post": reverse("postmortems:preview"),
                    "hx-trigger": "input changed delay:400ms, load",
                    "hx-target": f"#preview-{name}",
                    "hx-vals": json.dumps({"preview_field": name}),
                    "hx-sync": "this:replace",
                }
            )
        self.helper = self._build_helper(zone)

    def _build_helper(self, zone):
        helper = FormHelper()
        helper.form_tag = True
        helper.form_method = "post"
        helper.attrs = {"novalidate": "", "id": "postmortem-form"}
        sections = []
        for name in Postmortem.SECTIONS:
            extra = f'{{% include "partials/_lint_target.html" with field_id="id_{name}" %}}'
            sections.append(
                Div(
                    Div(
                        Field(name),
                        HTML(
                            '{% include "postmortems/partials/_section_count.html" with '
                            f'name="{name}" %}}' + extra
                        ),
                        css_class="col-lg-6",
                    ),
                    Div(
                        HTML(
                            '{% include "postmortems/partials/_section_preview.html" with '
                            f'name="{name}" %}}'
                        ),
                        css_class="col-lg-6",
                    ),
                    css_class="row g-3 mb-3",
                )
            )
        times = [AppendedText(name, zone) for name in POSTMORTEM_TIME_FIELDS]
        helper.layout = Layout(
            Field("version"),
            Fieldset(
                _("What happened"),
                Field("title"),
                Row(
                    Column("severity", css_class="col-md-6"),
                    Column("team", css_class="col-md-6"),
                ),
                Row(
                    Column("restricted", css_class="col-md-6"),
                    Column("caused_by_change", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                _("People"),
                Row(
                    Column("authors", css_class="col-md-4"),
                    Column("reviewers", css_class="col-md-4"),
                    Column("viewers", css_class="col-md-4"),
                ),
            ),
            Fieldset(
                _("When"),
                Row(*[Column(t, css_class="col-md-6 col-xxl-3") for t in times]),
            ),
            Fieldset(_("Write-up (Markdown)"), *sections),
            FormActions(Submit("save", _("Save"))),
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and (
            "version" in self.errors or cleaned.get("version") is None
        ):
            # Without the version the form was loaded at, a save could overwrite someone
            # else's edit unnoticed: refuse it instead of guessing.
            self.errors.pop("version", None)
            self.add_error(None, STALE_FORM_MESSAGE)
        errors = postmortem_time_errors(
            **{name: cleaned.get(name) for name in POSTMORTEM_TIME_FIELDS}
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def service_data(self):
        """cleaned_data restricted to what the services accept (model field names)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _person_label(user):
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class PostmortemFilterForm(forms.Form):
    """The list page's search, filters and sort (all optional, GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    team = IdModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("All teams"),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("All severities")), *[(s.value, s.value) for s in Severity]],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Postmortem.Status.choices],
    )
    started_from = BoundedDateField(
        label=_("Started on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    started_to = BoundedDateField(
        label=_("Started on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("-started_at", _("Newest incident first")),
            ("started_at", _("Oldest incident first")),
            ("-updated_at", _("Recently edited")),
            ("severity", _("Severity")),
            ("title", _("Title")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def search_arguments(self):
        """Keyword arguments for ``selectors.postmortem_search``; dates in the user's zone."""
        data = self.cleaned_data if self.is_valid() else {}
        zone = timezone.get_current_timezone()

        def start_of(day):
            return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)

        started_from = data.get("started_from")
        started_to = data.get("started_to")
        return {
            "q": data.get("q", ""),
            "team": data.get("team"),
            "severity": data.get("severity", ""),
            "status": data.get("status", ""),
            "started_from": start_of(started_from) if started_from else None,
            "started_to": start_of(started_to + datetime.timedelta(days=1)) if started_to else None,
            "sort": data.get("sort") or "-started_at",
        }


class ReviewCommentForm(forms.ModelForm):
    anchor = forms.CharField(widget=forms.HiddenInput, required=False, initial="general")
    parent = IdField(widget=forms.HiddenInput)

    class Meta:
        model = ReviewComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("Comment (Markdown)")}
        error_messages = {"body": {"required": _("Write something first.")}}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something first."))
        if len(body) > settings.COMMENT_MAX_CHARS:
            raise forms.ValidationError(
                _("Keep comments under %(limit)s characters.")
                % {"limit": f"{settings.COMMENT_MAX_CHARS:,}"}
            )
        return body


class NotRequiredForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is no write-up needed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Timeline and contributing factors -------------------------------------------------------


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
            from django.utils.dateparse import parse_datetime

            from .timeline import ZoneError, localize

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
        self.fields["text"].max_length = settings.TIMELINE_EVENT_MAX_CHARS
        self.fields["text"].validators.append(MaxLengthValidator(settings.TIMELINE_EVENT_MAX_CHARS))
        self.fields["occurred_at"].help_text = _("Times are in %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }

    def clean(self):
        """A time in the future is refused; one far outside the incident is refused until
        the author confirms it (``outside_ok``). An edited event whose time is unchanged
        needs no confirmation."""
        from .incident_window import future_error, outside_warning

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


def _split_theme_names(value):
    names, seen = [], set()
    for raw in (value or "").replace("\n", ",").split(","):
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


class ContributingFactorForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ContributingFactor.Category.choices)
    description = forms.CharField(
        label=_("Description (Markdown)"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "data-lint": "factor"}),
        help_text=_(
            "Describe the system or condition that made the incident possible or worse "
            "(an alert that did not fire, a default, a missing check), not a person: "
            "anyone in the same situation could have done the same, and only changing "
            "the conditions prevents a repeat."
        ),
    )
    themes = IdModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    new_themes = forms.CharField(
        label=_("New themes"),
        required=False,
        max_length=500,
        help_text=_("Type names separated by commas; a name that already exists is reused."),
    )

    def __init__(self, *args, user, prefix_id="new", **kwargs):
        from .selectors import visible_themes

        super().__init__(*args, **kwargs)
        self.auto_id = f"id_factor_{prefix_id}_%s"
        # A theme typed only on a restricted postmortem is no choice for its outsiders.
        self.fields["themes"].queryset = visible_themes(user).order_by("name")
        self.fields["description"].max_length = settings.FACTOR_MAX_CHARS
        self.fields["description"].validators.append(MaxLengthValidator(settings.FACTOR_MAX_CHARS))

    def clean_new_themes(self):
        from django.utils.text import slugify

        names = _split_theme_names(self.cleaned_data["new_themes"])
        for name in names:
            if len(name) > 100:
                raise forms.ValidationError(_("Keep theme names under 100 characters."))
            if not slugify(name, allow_unicode=True):
                raise forms.ValidationError(
                    _("“%(name)s” cannot be used as a theme name.") % {"name": name}
                )
        return names

    @property
    def all_themes(self):
        """Picked Theme objects followed by typed names, as ``factor_create`` takes them."""
        return [*self.cleaned_data.get("themes", []), *self.cleaned_data.get("new_themes", [])]


class BlameAcknowledgementForm(forms.Form):
    """Keep one flagged phrase, with a reason; the finding is named by hidden fields."""

    location = forms.CharField(max_length=40, widget=forms.HiddenInput)
    rule = forms.CharField(max_length=40, widget=forms.HiddenInput)
    phrase = forms.CharField(max_length=200, strip=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why does this phrase stay?"),
        max_length=300,
        help_text=_("For example: “direct quote from the incident channel”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
