from django.urls import path

from .views import dashboard, items
from .views import kaizen as kaizen_views
from .views import metrics as metrics_views

app_name = "actions"

urlpatterns = [
    path("actions/", dashboard.dashboard, name="dashboard"),
    path("actions/export.csv", dashboard.export_csv, name="export_csv"),
    path("actions/bulk/", dashboard.bulk_update, name="bulk_update"),
    path("actions/assignees/", dashboard.assignee_options, name="assignee_options"),
    path("actions/<int:pk>/", items.action_item_detail, name="detail"),
    path("actions/<int:pk>/status/", items.action_item_change_status, name="change_status"),
    path("postmortems/<int:pk>/actions/new/", items.action_item_create, name="create"),
    path("kaizen/", kaizen_views.kaizen_page, name="kaizen"),
    path("kaizen/themes/", kaizen_views.themes, name="themes"),
    path("kaizen/themes/suggest/", kaizen_views.theme_suggest, name="theme_suggest"),
    path("kaizen/themes/merge/", kaizen_views.theme_merge, name="theme_merge"),
    path("kaizen/themes/<int:pk>/edit/", kaizen_views.theme_edit, name="theme_edit"),
    path("kaizen/reviews/new/", kaizen_views.kaizen_review_create, name="kaizen_review_create"),
    path("metrics/", metrics_views.metrics_page, name="metrics"),
    path("metrics/export.csv", metrics_views.metrics_csv, name="metrics_csv"),
]
