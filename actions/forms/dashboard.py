"""The dashboard's filters and the report range of /metrics/ and /kaizen/."""

from django import forms
from django.utils.translation import gettext_lazy as _

from postmortems.bounds import range_error
from postmortems.fields import (
    BoundedDateField,
    IdField,
)
from postmortems.models import Severity

from ..dashboard.listing import SORTS
from ..models import ActionItem

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
    # What the form's assignee field sends (``assignee``, a person's id, stays for links).
    assignee_username = forms.CharField(label=_("Assignee"), required=False, max_length=150)
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
