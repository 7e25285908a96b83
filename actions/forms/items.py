"""Forms of the action item page and the dashboard's bulk changes."""

import json

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from postmortems.fields import (
    BoundedDateField,
    IdModelChoiceField,
    parse_id,
)
from postmortems.models import Team

from .. import services
from ..models import ActionItem


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
    # The dashboard's form sends a username (a search field, its people fetched as one
    # types, as the filter's assignee field does); ``assignee`` takes an id for scripts.
    assignee = IdModelChoiceField(
        label=_("Assign to"), required=False, queryset=get_user_model().objects.all()
    )
    assignee_username = forms.CharField(label=_("Assign to"), required=False, max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer is accepted here; the view keeps only visible, managed items.
        self.fields["items"].valid_value = lambda value: parse_id(value) is not None

    def clean_assignee_username(self):
        username = self.cleaned_data["assignee_username"]  # stripped by the field
        if not username:
            return None
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            raise forms.ValidationError(
                _("No one has the username “%(username)s”.") % {"username": username}
            )
        return person

    def clean(self):
        cleaned = super().clean()
        by_username = cleaned.pop("assignee_username", None)
        if by_username is not None and cleaned.get("assignee") is None:
            cleaned["assignee"] = by_username
        if not cleaned.get("status") and not cleaned.get("assignee"):
            raise forms.ValidationError(_("Choose a status or an assignee to change."))
        return cleaned
