"""The postmortem list's filters, read through django-filter.

Fields, labels and widgets are the ``PostmortemFilterForm``'s; each filter says how its
value narrows the visible postmortems. ``selectors.postmortem_search`` applies the same
filters to keyword arguments (for code that has values rather than a query string).
"""

import datetime
from typing import Any

import django_filters
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

from .dates import day_start
from .forms.filters import PostmortemFilterForm
from .models import Postmortem, Severity, Team

DEFAULT_SORT = "-started_at"
POSTMORTEM_SORTS = {
    "-started_at": ("-started_at", "-id"),
    "started_at": ("started_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
    "severity": ("severity", "-started_at", "-id"),
    "title": ("title", "id"),
}


def matching_words(queryset: QuerySet[Postmortem], q: str) -> QuerySet[Postmortem]:
    """Every word somewhere in the title or a section. Substrings, not tokens: Korean
    attaches particles to words ("결제가" must match "결제"), which no PostgreSQL
    text-search configuration splits off."""
    q = (q or "").strip()
    if not q:
        return queryset
    every_word = Q()
    for word in q.split():
        match = Q(title__icontains=word)
        for section in Postmortem.SECTIONS:
            match |= Q(**{f"{section}__icontains": word})
        every_word &= match
    if connection.vendor != "postgresql":
        return queryset.filter(every_word)
    # "simple" keeps words as typed (no English stemming that would mangle Hangul); it
    # adds web-search syntax ("a phrase", or) on top of the substring match.
    vector = SearchVector("title", *Postmortem.SECTIONS, config="simple")
    query = SearchQuery(q, config="simple", search_type="websearch")
    return queryset.annotate(search=vector).filter(Q(search=query) | every_word)


def ordered(queryset: QuerySet[Postmortem], sort: str | None) -> QuerySet[Postmortem]:
    order = POSTMORTEM_SORTS.get(sort or DEFAULT_SORT, POSTMORTEM_SORTS[DEFAULT_SORT])
    if order[0].lstrip("-") == "started_at":
        # Postmortems without a start time go last either way.
        field = F("started_at")
        first = (
            field.desc(nulls_last=True) if order[0].startswith("-") else field.asc(nulls_last=True)
        )
        return queryset.order_by(first, order[1])
    return queryset.order_by(*order)


def _moment(value: datetime.date, *, next_day: bool = False) -> datetime.datetime:
    """A day (in the reader's zone) as the moment it starts; an aware datetime as is."""
    if isinstance(value, datetime.datetime):
        return value
    return day_start(value + datetime.timedelta(days=1) if next_day else value)


class PostmortemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_words")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all())
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    status = django_filters.ChoiceFilter(choices=Postmortem.Status.choices)
    started_from = django_filters.DateFilter(method="filter_started_from")
    started_to = django_filters.DateFilter(method="filter_started_to")
    sort = django_filters.ChoiceFilter(choices=list(POSTMORTEM_SORTS.items()), method="filter_sort")

    class Meta:
        model = Postmortem
        fields: tuple[str, ...] = ()
        form = PostmortemFilterForm

    def get_form_class(self) -> Any:
        # The form as it is: its fields carry the page's labels, choices and widgets.
        return self._meta.form

    def filter_words(self, queryset: QuerySet[Postmortem], name: str, value: str) -> Any:
        return matching_words(queryset, value)

    def filter_started_from(self, queryset: QuerySet[Postmortem], name: str, value: Any) -> Any:
        return queryset.filter(started_at__gte=_moment(value))

    def filter_started_to(self, queryset: QuerySet[Postmortem], name: str, value: Any) -> Any:
        # "On or before" a day: before the next day starts (an aware datetime is the end).
        return queryset.filter(started_at__lt=_moment(value, next_day=True))

    def filter_sort(self, queryset: QuerySet[Postmortem], name: str, value: str) -> Any:
        return ordered(queryset, value)

    def filter_queryset(self, queryset: QuerySet[Postmortem]) -> Any:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = ordered(queryset, DEFAULT_SORT)
        return queryset

    @classmethod
    def apply(cls, queryset: QuerySet[Postmortem], values: dict[str, Any]) -> Any:
        """The same filters on already-clean ``values`` (empty ones are skipped)."""
        filters = cls(queryset=queryset).filters
        for name, value in values.items():
            queryset = filters[name].filter(queryset, value)
        return queryset if values.get("sort") else ordered(queryset, DEFAULT_SORT)
