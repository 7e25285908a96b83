"""Pages for personal tokens (on the profile) and team webhooks (from the team settings)."""

from django.urls import path

from .views import web

app_name = "api_web"

urlpatterns = [
    path("profile/api-tokens/", web.token_create, name="token_create"),
    path("api-tokens/<int:pk>/revoke/", web.token_revoke, name="token_revoke"),
    path("teams/<slug:slug>/webhooks/", web.webhook_list, name="webhooks"),
    path("teams/<slug:slug>/webhooks/<int:pk>/", web.webhook_detail, name="webhook"),
    path("teams/<slug:slug>/webhooks/<int:pk>/test/", web.webhook_test, name="webhook_test"),
    path("teams/<slug:slug>/webhooks/<int:pk>/rotate/", web.webhook_rotate, name="webhook_rotate"),
    path("teams/<slug:slug>/webhooks/<int:pk>/delete/", web.webhook_delete, name="webhook_delete"),
]
