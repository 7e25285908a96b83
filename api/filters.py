"""The list endpoints' filters are the web's FilterSets (``postmortems.filters``,
``actions.dashboard.filters``): same fields, same validation (400 here), same meaning."""

from actions.dashboard import filters as dashboard_filters
from actions.selectors import filter_action_items
from postmortems.filters import PostmortemFilter

__all__ = ["ActionItemFilter", "PostmortemFilter"]


class ActionItemFilter(dashboard_filters.ActionItemFilter):
    def filter_queryset(self, queryset):
        # The dashboard form also carries the page's "sort", which is no filter.
        return filter_action_items(queryset, self.form.filters(), today=self.today)
