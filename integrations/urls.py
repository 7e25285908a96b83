"""Every integration's URLs, under the ``integrations`` namespace."""

from django.urls import include, path

app_name = "integrations"

urlpatterns = [
    path("", include("integrations.alerts.urls")),
    path("", include("integrations.slack_import.urls")),
    path("", include("integrations.trackers.urls")),
]
