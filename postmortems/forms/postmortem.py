"""The postmortem form (create and edit) and the not-required reason."""

import json

from crispy_forms.bootstrap import AppendedText, FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..fields import (
    BoundedDateTimeField,
    IdModelChoiceField,
    IdModelMultipleChoiceField,
)
from ..models import (
    Postmortem,
    Team,
)
from ..selectors.teams import teams_for_postmortem_form
from ..services.authoring import (
    POSTMORTEM_M2M_FIELDS,
    POSTMORTEM_TIME_FIELDS,
    postmortem_time_errors,
)
from .datetimes import DATETIME_TEXT_INPUT_FORMATS, DateTimeTextInput

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
            "no_action_items_reason",
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
        if not self.instance.pk:
            self.fields["title"].widget.attrs["data-enter-moves-on"] = ""
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
            if self.instance.pk:
                # The live hints leave out what was dismissed here as "Not blame".
                field.widget.attrs["data-lint-postmortem"] = self.instance.pk
                field.widget.attrs["data-lint-location"] = f"section:{name}"
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
            Field("no_action_items_reason"),
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


class NotRequiredForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is no write-up needed?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Timeline and contributing factors -------------------------------------------------------
