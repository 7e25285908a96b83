from django.urls import path

from . import views

urlpatterns = [
    path(
        "postmortems/<int:pk>/slack-import/",
        views.slack_import_start,
        name="slack_import",
    ),
    path(
        "postmortems/<int:pk>/slack-import/<int:import_id>/",
        views.slack_import_pick,
        name="slack_import_pick",
    ),
]
