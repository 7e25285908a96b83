from django.contrib import admin

from .models import ApiToken, Webhook, WebhookDelivery


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "scope", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "user__username", "prefix")
    # Tokens are made on the profile page or with create_api_token; the digest is useless here.
    exclude = ("digest",)
    readonly_fields = ("prefix", "last_used_at", "created_at")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("team", "url", "disabled_reason", "consecutive_failures")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "webhook", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state", "event")
    readonly_fields = ("message_id", "payload")
