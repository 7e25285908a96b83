from django.urls import path

from . import receiver, views

urlpatterns = [
    path("integrations/alerts/<uuid:public_id>/", receiver.alert_receive, name="alert_receive"),
    path("teams/<slug:slug>/integrations/", views.team_integrations, name="team"),
    path(
        "teams/<slug:slug>/integrations/alert-sources/",
        views.alert_source_add,
        name="alert_source_add",
    ),
    path(
        "teams/<slug:slug>/integrations/alert-sources/<int:pk>/secret/",
        views.alert_source_rotate,
        name="alert_source_rotate",
    ),
    path(
        "teams/<slug:slug>/integrations/alert-sources/<int:pk>/delete/",
        views.alert_source_delete,
        name="alert_source_delete",
    ),
    path(
        "teams/<slug:slug>/integrations/severities/",
        views.severity_table_save,
        name="severity_table",
    ),
]
