from django.urls import path

from . import views

urlpatterns = [
    path(
        "integrations/trackers/<uuid:public_id>/webhook/",
        views.tracker_webhook,
        name="tracker_webhook",
    ),
    path(
        "teams/<slug:slug>/integrations/trackers/",
        views.tracker_connection_add,
        name="tracker_connection_add",
    ),
    path(
        "teams/<slug:slug>/integrations/trackers/<int:pk>/delete/",
        views.tracker_connection_delete,
        name="tracker_connection_delete",
    ),
    path("actions/<int:pk>/tracker/create/", views.item_issue_create, name="item_issue_create"),
    path("actions/<int:pk>/tracker/link/", views.item_issue_link, name="item_issue_link"),
]
