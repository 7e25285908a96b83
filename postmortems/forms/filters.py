"""The postmortem list's search, filters and sort (``postmortems.filters`` reads it)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ..dates import day_start
from ..fields import (
    BoundedDateField,
    CompactSelect,
    NamedModelChoiceField,
)
from ..models import (
    Postmortem,
    Severity,
    Team,
)


class PostmortemFilterForm(forms.Form):
    """The list page's search, filters and sort (all optional, GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    team = NamedModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.only("name").order_by("name"),
        required=False,
        empty_label=_("All teams"),
        widget=CompactSelect,
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        widget=CompactSelect,
        choices=[("", _("All severities")), *[(s.value, s.value) for s in Severity]],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        widget=CompactSelect,
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
        widget=CompactSelect,
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
        started_from = data.get("started_from")
        started_to = data.get("started_to")
        return {
            "q": data.get("q", ""),
            "team": data.get("team"),
            "severity": data.get("severity", ""),
            "status": data.get("status", ""),
            "started_from": day_start(started_from) if started_from else None,
            "started_to": day_start(started_to + datetime.timedelta(days=1))
            if started_to
            else None,
            "sort": data.get("sort") or "-started_at",
        }
