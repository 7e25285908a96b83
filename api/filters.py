"""The list endpoints' filters: the web's filter forms (same fields, same meaning) read
through django-filter, so invalid values answer 400 and the schema lists them. The
filtering itself is the web's selectors'."""

import django_filters

from actions.forms import DashboardFilterForm
from actions.models import ActionItem
from actions.selectors import filter_action_items
from postmortems.forms import PostmortemFilterForm
from postmortems.models import Postmortem, Severity, Team
from postmortems.selectors import postmortem_search


class WebFormFilterSet(django_filters.FilterSet):
    """Validates with ``Meta.form`` as it is (the declared filters document the schema)."""

    def get_form_class(self):
        return self._meta.form


class PostmortemFilter(WebFormFilterSet):
    q = django_filters.CharFilter(help_text="Every word in the title or a section.")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all())
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    status = django_filters.ChoiceFilter(choices=Postmortem.Status.choices)
    started_from = django_filters.DateFilter(help_text="Started on or after (YYYY-MM-DD).")
    started_to = django_filters.DateFilter(help_text="Started on or before (YYYY-MM-DD).")

    class Meta:
        model = Postmortem
        fields = ()
        form = PostmortemFilterForm

    def filter_queryset(self, queryset):
        # The list page's search: ``queryset`` is already the visible postmortems.
        return postmortem_search(self.request.user, **self.form.search_arguments())


class ActionItemFilter(WebFormFilterSet):
    q = django_filters.CharFilter(help_text="In the item's or its postmortem's title.")
    team = django_filters.NumberFilter(help_text="Owner team id.")
    assignee = django_filters.NumberFilter(help_text="Assignee's user id.")
    status = django_filters.MultipleChoiceFilter(choices=ActionItem.Status.choices)
    priority = django_filters.ChoiceFilter(choices=ActionItem.Priority.choices)
    kind = django_filters.ChoiceFilter(choices=ActionItem.Kind.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    overdue = django_filters.BooleanFilter(help_text="Open and past the due date.")
    due_within = django_filters.NumberFilter(help_text="Open and due within N days.")
    created_from = django_filters.DateFilter()
    created_to = django_filters.DateFilter()
    closed_from = django_filters.DateFilter()
    closed_to = django_filters.DateFilter()

    class Meta:
        model = ActionItem
        fields = ()
        form = DashboardFilterForm

    def filter_queryset(self, queryset):
        # The dashboard's filters, applied by the dashboard's selector.
        return filter_action_items(queryset, self.form.filters())
