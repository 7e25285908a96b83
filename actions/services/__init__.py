"""Writes for action items, themes (as the Kaizen pages change them) and Kaizen reviews
(docs/architecture.md). Other apps import these names from ``actions.services``."""

from postmortems.services import theme_save

from .dashboard_counts import (
    COUNTS_SWITCH,
    dashboard_counts_rebuild,
    dashboard_counts_rebuild_all,
)
from .exports import export_audit_record
from .items import (
    EDITABLE_FIELDS,
    action_item_create,
    action_item_update,
    check_owner_team,
    default_due_date,
    due_date_base,
)
from .kaizen import kaizen_review_create, theme_merge
from .kaizen_open_items import kaizen_open_items_rebuild
from .workflow import (
    ACTION_LABELS,
    BULK_STATUS_ACTIONS,
    TRANSITIONS,
    BulkResult,
    TransitionError,
    action_item_block,
    action_item_complete,
    action_item_follow_tracker,
    action_item_reopen,
    action_item_start,
    action_item_transition,
    action_item_wont_do,
    action_items_bulk_update,
)

__all__ = [
    "ACTION_LABELS",
    "BULK_STATUS_ACTIONS",
    "COUNTS_SWITCH",
    "EDITABLE_FIELDS",
    "TRANSITIONS",
    "BulkResult",
    "TransitionError",
    "action_item_block",
    "action_item_complete",
    "action_item_create",
    "action_item_follow_tracker",
    "action_item_reopen",
    "action_item_start",
    "action_item_transition",
    "action_item_update",
    "action_item_wont_do",
    "action_items_bulk_update",
    "check_owner_team",
    "dashboard_counts_rebuild",
    "dashboard_counts_rebuild_all",
    "default_due_date",
    "due_date_base",
    "export_audit_record",
    "kaizen_open_items_rebuild",
    "kaizen_review_create",
    "theme_merge",
    "theme_save",
]
