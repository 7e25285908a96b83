"""The dashboard's filters, read through django-filter.

Fields, labels and validation are the ``DashboardFilterForm``'s (an invalid parameter is
dropped and named on the page, never an error page); each filter says how its value
narrows the visible items. ``filter_action_items`` applies the same filters to the
form's clean values (the dashboard caches by them; the API reuses them).
"""

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from postmortems.dates import day_start
from postmortems.models import Severity

from ..forms import DashboardFilterForm
from ..models import ActionItem
from .cache import RESTRICTED_VISIBLE_ATTR
from .expressions import is_open, is_overdue

DAY = datetime.timedelta(days=1)


class ActionItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text")
    team = django_filters.NumberFilter(field_name="team_id")
    assignee = django_filters.NumberFilter(field_name="assignee_id")
    assignee_username = django_filters.CharFilter(field_name="assignee__username")
    status = django_filters.MultipleChoiceFilter(
        choices=ActionItem.Status.choices, method="filter_status"
    )
    priority = django_filters.ChoiceFilter(choices=ActionItem.Priority.choices)
    kind = django_filters.ChoiceFilter(choices=ActionItem.Kind.choices)
    severity = django_filters.ChoiceFilter(
        field_name="postmortem__severity", choices=Severity.choices
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue")
    due_within = django_filters.NumberFilter(method="filter_due_within")
    created_from = django_filters.DateFilter(method="filter_created_from")
    created_to = django_filters.DateFilter(method="filter_created_to")
    closed_from = django_filters.DateFilter(method="filter_closed_from")
    closed_to = django_filters.DateFilter(method="filter_closed_to")

    class Meta:
        model = ActionItem
        fields: tuple[str, ...] = ()
        form = DashboardFilterForm

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def get_form_class(self) -> Any:
        # The form as it is: its fields carry the page's labels, choices and limits.
        return self._meta.form

    def filter_text(self, qs: QuerySet[ActionItem], name: str, value: str) -> Any:
        return qs.filter(Q(title__icontains=value) | Q(postmortem__title__icontains=value))

    def filter_status(self, qs: QuerySet[ActionItem], name: str, value: list[str]) -> Any:
        return qs.filter(status__in=value)

    def filter_overdue(self, qs: QuerySet[ActionItem], name: str, value: bool) -> Any:
        return qs.filter(is_overdue(self.today)) if value else qs

    def filter_due_within(self, qs: QuerySet[ActionItem], name: str, value: int) -> Any:
        last = self.today + datetime.timedelta(days=value)
        return qs.filter(is_open(), due_date__gte=self.today, due_date__lte=last)

    def filter_created_from(self, qs: QuerySet[ActionItem], name: str, value: Any) -> Any:
        return qs.filter(created_at__gte=day_start(value))

    def filter_created_to(self, qs: QuerySet[ActionItem], name: str, value: Any) -> Any:
        return qs.filter(created_at__lt=day_start(value + DAY))

    def filter_closed_from(self, qs: QuerySet[ActionItem], name: str, value: Any) -> Any:
        closed = qs.filter(status__in=ActionItem.CLOSED_STATUSES)
        return closed.filter(completed_at__gte=day_start(value))

    def filter_closed_to(self, qs: QuerySet[ActionItem], name: str, value: Any) -> Any:
        closed = qs.filter(status__in=ActionItem.CLOSED_STATUSES)
        return closed.filter(completed_at__lt=day_start(value + DAY))


def unfiltered(filters: dict[str, Any]) -> bool:
    """Whether the dashboard form's clean ``filters`` narrow nothing (a sort order aside)."""
    return all(value is False or value == [] for name, value in filters.items() if name != "sort")


def filter_action_items(
    queryset: QuerySet[ActionItem], filters: dict[str, Any], *, today: datetime.date | None = None
) -> QuerySet[ActionItem]:
    """Apply the dashboard's validated filters (``DashboardFilterForm.filters()``)."""
    if unfiltered(filters):
        return queryset  # nothing to narrow: no filter set to build (it copies every filter)
    declared = ActionItemFilter(queryset=queryset, today=today).filters
    for name, value in filters.items():
        if name in declared:
            # due_within=0 is a real value ("due today"); the filter skips only None/"".
            queryset = declared[name].filter(queryset, value)
    return queryset


def dashboard_items(
    user: Any, filters: dict[str, Any], *, today: datetime.date | None = None
) -> QuerySet[ActionItem]:
    """The visible items matching the dashboard filters (unordered, no joins)."""
    return filter_action_items(ActionItem.objects.visible_to(user), filters, today=today)


def listed_items(
    user: Any, filters: dict[str, Any], *, today: datetime.date | None = None
) -> QuerySet[ActionItem]:
    """``dashboard_items`` for the page's list, which joins the postmortem anyway.

    When this request has already read the restricted postmortems ``user`` may see
    (``restricted_visible_ids``: the figures read them first), the same rule reads "not
    restricted, or one of those" on that join: a quicker query to build and to plan than
    ``visible_to``'s four EXISTS per postmortem, with no query added. Otherwise (the
    figures came from the cache) it is ``dashboard_items``."""
    ids = getattr(user, RESTRICTED_VISIBLE_ATTR, None)
    if ids is None or not user.is_authenticated or user.is_superuser:
        return dashboard_items(user, filters, today=today)
    return filter_action_items(visible_given(ids), filters, today=today)


def visible_given(ids: Any) -> QuerySet[ActionItem]:
    """The items of postmortems not restricted or among ``ids`` (the restricted ones a
    reader may read, ``restricted_visible_ids``): ``visible_to`` for that reader."""
    return ActionItem.objects.filter(Q(postmortem__restricted=False) | Q(postmortem_id__in=ids))
