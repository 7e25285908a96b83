"""The actions app's forms, one module per page (re-exported here)."""

from .dashboard import SORT_LABELS, DashboardFilterForm, ReportFilterForm
from .items import ActionItemForm, BulkUpdateForm, InlineActionItemForm, StatusChangeForm
from .kaizen import KaizenReviewForm, ThemeForm, ThemeMergeForm

__all__ = [
    "SORT_LABELS",
    "ActionItemForm",
    "BulkUpdateForm",
    "DashboardFilterForm",
    "InlineActionItemForm",
    "KaizenReviewForm",
    "ReportFilterForm",
    "StatusChangeForm",
    "ThemeForm",
    "ThemeMergeForm",
]
