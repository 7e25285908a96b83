import json

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from postmortems.bounds import range_error
from postmortems.fields import (
    BoundedDateField,
    IdField,
    IdModelChoiceField,
    IdModelMultipleChoiceField,
    parse_id,
)
from postmortems.models import Severity, Team, Theme
from postmortems.selectors import visible_themes

from . import services
from .dashboard.listing import SORTS
from .models import ActionItem


class ActionItemForm(forms.ModelForm):
    """Create and edit an item. An empty due date follows the priority policy."""

    tracker_url = forms.URLField(
        label=_("Tracker URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Link to the ticket (http or https)."),
    )

    class Meta:
        model = ActionItem
        fields = [
            "title",
            "kind",
            "priority",
            "team",
            "assignee",
            "due_date",
            "factor",
            "tracker_url",
            "notes",
        ]
        field_classes = {
            "team": IdModelChoiceField,
            "assignee": IdModelChoiceField,
            "factor": IdModelChoiceField,
            "due_date": BoundedDateField,
        }
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "notes": _("Markdown."),
            "assignee": _("Optional; must be a member of the owner team."),
        }

    def __init__(self, *args, postmortem, **kwargs):
        super().__init__(*args, **kwargs)
        self.postmortem = postmortem
        User = get_user_model()
        teams = Team.objects.order_by("name")
        if postmortem.restricted:
            # services.check_owner_team: a restricted postmortem's items stay with its team.
            teams = teams.filter(pk=postmortem.team_id)
        self.fields["team"].queryset = teams
        if "assignee" in self.fields:
            self._offer_owner_team_members(User, teams)
        self.fields["factor"].queryset = postmortem.factors.all()
        if "notes" in self.fields:
            self.fields["notes"].max_length = settings.ACTION_ITEM_NOTES_MAX_CHARS
            self.fields["notes"].validators.append(
                MaxLengthValidator(settings.ACTION_ITEM_NOTES_MAX_CHARS)
            )
        self.fields["factor"].required = False
        self.fields["due_date"].required = False
        if not self.instance.pk:
            self.initial.setdefault("team", postmortem.team_id)
        priority = self.initial.get("priority") or self.instance.priority
        default = services.default_due_date(priority=priority, postmortem=postmortem)
        if not self.instance.pk:
            self.initial.setdefault("due_date", default)
            # For the small script that moves the default when the priority changes.
            self.fields["due_date"].widget.attrs.update(
                {
                    "data-due-base": services.due_date_base(postmortem).isoformat(),
                    "data-due-min": timezone.localdate().isoformat(),
                    "min": timezone.localdate().isoformat(),
                    "data-due-days": json.dumps(settings.ACTION_DUE_DAYS),
                }
            )
        self.fields["due_date"].help_text = _(
            "Leave empty for the policy default (P1 %(p1)s days … P4 %(p4)s days from "
            "publication or today)."
        ) % {"p1": settings.ACTION_DUE_DAYS["P1"], "p4": settings.ACTION_DUE_DAYS["P4"]}

    def _owner_team_id(self, teams):
        """The team the form is about to save: the posted one when it is a choice, else the
        item's, else the postmortem's."""
        posted = parse_id(self.data.get(self.add_prefix("team"))) if self.is_bound else None
        if posted is not None and teams.filter(pk=posted).exists():
            return posted
        return self.instance.team_id or self.initial.get("team") or self.postmortem.team_id

    def _offer_owner_team_members(self, User, teams):
        """Only members of the owner team are offered (anyone else would be refused). The
        members of every offered team ride along for the script that swaps the list when
        the team changes; without it the list follows the team after a save attempt."""
        field = self.fields["assignee"]
        members = (
            User.objects.filter(memberships__team__in=teams)
            .order_by("first_name", "username")
            .values_list("memberships__team_id", "pk", "username", "first_name", "last_name")
        )
        by_team = {}
        for team_id, pk, username, first, last in members:
            full = f"{first} {last}".strip()
            by_team.setdefault(str(team_id), []).append(
                [pk, f"{full} ({username})" if full else username]
            )
        # Any member of an offered team validates, so picking someone of another team gets
        # clean()'s message naming the team rather than "not one of the choices".
        field.queryset = User.objects.filter(memberships__team__in=teams).distinct()
        team_id = self._owner_team_id(teams)
        field.widget.choices = [("", field.empty_label), *by_team.get(str(team_id), [])]
        field.widget.attrs["data-team-members"] = json.dumps(by_team)

    def clean(self):
        cleaned = super().clean()
        team, assignee = cleaned.get("team"), cleaned.get("assignee")
        if team and assignee and not assignee.memberships.filter(team=team).exists():
            self.add_error(
                "assignee",
                _("%(person)s is not a member of %(team)s. Pick a member of the owner team.")
                % {"person": assignee.get_full_name() or assignee.username, "team": team.name},
            )
        return cleaned

    def _post_clean(self):
        # The model is validated by the services (policy defaults fill the due date first).
        pass

    def service_fields(self):
        data = dict(self.cleaned_data)
        data["tracker_url"] = data.get("tracker_url") or ""
        data["notes"] = data.get("notes") or ""
        return data


class InlineActionItemForm(ActionItemForm):
    """The short form on the postmortem page; the rest has defaults."""

    class Meta(ActionItemForm.Meta):
        fields = ["title", "kind", "priority", "team", "due_date", "factor"]


class StatusChangeForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in services.TRANSITIONS])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class BulkUpdateForm(forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)
    status = forms.ChoiceField(
        label=_("Set status"),
        required=False,
        choices=[("", _("— keep —"))]
        + [(s, ActionItem.Status(s).label) for s in services.BULK_STATUS_ACTIONS],
    )
    assignee = IdModelChoiceField(
        label=_("Assign to"), required=False, queryset=get_user_model().objects.all()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is accepted here; the view keeps only visible, managed items.
        self.fields["items"].valid_value = lambda value: parse_id(value) is not None

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("status") and not cleaned.get("assignee"):
            raise forms.ValidationError(_("Choose a status or an assignee to change."))
        return cleaned


SORT_LABELS = {
    "open_first": _("Open first, by due date"),
    "due_date": _("Due"),
    "priority": _("Priority"),
    "status": _("Status"),
    "title": _("Item"),
    "team": _("Team"),
    "created_at": _("Created"),
    "completed_at": _("Closed"),
}


def _sort_choices():
    # The same words as the list's column headers, with the arrows they show.
    choices = []
    for key in SORTS:
        label = SORT_LABELS.get(key, key)
        choices += [(key, f"{label} ▲"), (f"-{key}", f"{label} ▼")]
    return choices


class DashboardFilterForm(forms.Form):
    """The dashboard's query parameters. Invalid values are dropped, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    team = IdField(label=_("Team"))
    assignee = IdField(label=_("Assignee"))
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, choices=ActionItem.Status.choices
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *ActionItem.Priority.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *ActionItem.Kind.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("Any"))] + [(s.value, s.value) for s in Severity],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_within = forms.IntegerField(
        label=_("Due within (days)"), required=False, min_value=0, max_value=3650
    )
    created_from = BoundedDateField(label=_("Created from"), required=False)
    created_to = BoundedDateField(label=_("Created to"), required=False)
    closed_from = BoundedDateField(label=_("Closed from"), required=False)
    closed_to = BoundedDateField(label=_("Closed to"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=_sort_choices)

    def filters(self):
        """The valid filters; each invalid one is left out (see :meth:`ignored`)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}

    def ignored(self):
        """``[(field label, message)]`` for the parameters that were ignored."""
        self.is_valid()
        return [
            (self.fields[name].label if name in self.fields else name, " ".join(errors))
            for name, errors in self.errors.items()
        ]


# --- Themes and Kaizen reviews ---------------------------------------------------------------


def _has_hangul(word):
    return any("\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e" for ch in word)


class ThemeForm(forms.Form):
    """Name, description and suggestion keywords (English and Korean kept apart for editing,
    stored together in ``Theme.keywords``)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    keywords_en = forms.CharField(
        label=_("Keywords (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Comma-separated words that suggest this theme, e.g. alert, pager, noisy."),
    )
    keywords_ko = forms.CharField(
        label=_("Keywords (Korean)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "ko"}),
        help_text=_("Comma-separated, e.g. 알림, 경보."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, theme=None, **kwargs):
        self.theme = theme
        if theme is not None and "initial" not in kwargs:
            words = theme.keyword_list
            kwargs["initial"] = {
                "name": theme.name,
                "keywords_en": ", ".join(w for w in words if not _has_hangul(w)),
                "keywords_ko": ", ".join(w for w in words if _has_hangul(w)),
                "description": theme.description,
            }
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Theme.objects.filter(name__iexact=name)
        if self.theme is not None:
            clash = clash.exclude(pk=self.theme.pk)
        if clash.exists():
            raise forms.ValidationError(_("A theme with this name exists already."))
        return name

    @staticmethod
    def _words(value):
        return [w.strip() for w in value.replace("\n", ",").split(",") if w.strip()]

    def keywords(self):
        """The keywords to store: English line, then Korean line."""
        en = ", ".join(self._words(self.cleaned_data.get("keywords_en", "")))
        ko = ", ".join(self._words(self.cleaned_data.get("keywords_ko", "")))
        return "\n".join(part for part in (en, ko) if part)


class ThemeMergeForm(forms.Form):
    source = IdModelChoiceField(
        label=_("Merge this theme"),
        queryset=Theme.objects.none(),
        help_text=_("It is deleted after the merge."),
    )
    target = IdModelChoiceField(label=_("into this theme"), queryset=Theme.objects.none())
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = visible_themes(user)
        self.fields["target"].queryset = visible_themes(user)

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise forms.ValidationError(_("Pick two different themes."))
        return data


class KaizenReviewForm(forms.Form):
    team = IdModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    period_start = BoundedDateField(
        label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = BoundedDateField(
        label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("What we chose to improve"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Themes discussed, decisions, owners."),
    )
    action_items = IdModelMultipleChoiceField(
        label=_("Linked action items"),
        queryset=ActionItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Open action items of the team that came out of the review."),
    )

    def __init__(self, *args, teams, action_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["action_items"].queryset = action_items
        limit = settings.KAIZEN_REVIEW_NOTES_MAX_CHARS
        self.fields["notes"].max_length = limit
        self.fields["notes"].validators.append(MaxLengthValidator(limit))
        self.fields["notes"].widget.attrs["maxlength"] = limit

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        team = data.get("team")
        items = data.get("action_items") or []
        if team and any(item.team_id != team.pk for item in items):
            self.add_error(
                "action_items",
                _("Link only action items owned by %(team)s.") % {"team": team.name},
            )
        return data


class ReportFilterForm(forms.Form):
    """``?team=&from=&to=`` of the metrics and Kaizen pages and their CSVs: dates inside the
    window and at most ``MAX_REPORT_RANGE_DAYS`` apart."""

    team = IdField(label=_("Team"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two are added here rather than declared.
        self.fields["from"] = BoundedDateField(label=_("From"), required=False)
        self.fields["to"] = BoundedDateField(label=_("To"), required=False)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("from"), cleaned.get("to")
        if first and last and first > last:
            raise forms.ValidationError(_("The start date is after the end date."))
        if message := range_error(first, last):
            raise forms.ValidationError(message, code="range_too_wide")
        return cleaned

    def messages(self):
        """Every error as one line, each field's named."""
        lines = []
        for name, errors in self.errors.items():
            for error in errors:
                label = self.fields[name].label if name in self.fields else None
                lines.append(f"{label}: {error}" if label else error)
        return lines
