"""Reads for action items, always scoped through the postmortems' visibility rule
(docs/architecture.md). Other apps import these names from ``actions.selectors``."""

from ..dashboard.cache import (
    dashboard_cache_invalidate,
    dashboard_cache_key,
    dashboard_cache_version,
    restricted_visible_ids,
)
from ..dashboard.counts import dashboard_figures
from ..dashboard.export import (
    EXPORT_COLUMNS,
    export_csv_chunks,
    export_rows,
    python_csv_chunks,
)
from ..dashboard.figures import dashboard_summary
from ..dashboard.filters import dashboard_items, filter_action_items, listed_items
from ..dashboard.list_rows import dashboard_rows
from ..dashboard.listing import DEFAULT_SORT, SORTS, dashboard_list, sorted_items
from ..dashboard.options import (
    assignee_matches,
    filter_form_options,
)
from .items import (
    action_item_for_detail,
    action_item_history,
    action_item_reminders,
    action_items_for_postmortem,
    my_open_actions,
    team_members,
    teams_with_dead_webhook,
    visible_action_items,
)

__all__ = [
    "DEFAULT_SORT",
    "EXPORT_COLUMNS",
    "SORTS",
    "action_item_for_detail",
    "action_item_history",
    "action_item_reminders",
    "action_items_for_postmortem",
    "assignee_matches",
    "dashboard_cache_invalidate",
    "dashboard_cache_key",
    "dashboard_cache_version",
    "dashboard_figures",
    "dashboard_items",
    "dashboard_list",
    "dashboard_rows",
    "dashboard_summary",
    "export_csv_chunks",
    "export_rows",
    "filter_action_items",
    "filter_form_options",
    "listed_items",
    "my_open_actions",
    "python_csv_chunks",
    "restricted_visible_ids",
    "sorted_items",
    "team_members",
    "teams_with_dead_webhook",
    "visible_action_items",
]
