from django.contrib import admin

from .models import AlertIncident, AlertSource, RejectedDelivery, SeverityRule


@admin.register(AlertSource)
class AlertSourceAdmin(admin.ModelAdmin):
    list_display = ("team", "kind", "name", "created_at", "last_delivery_at")
    list_filter = ("kind",)
    # Secrets are set through the integration page or the alert_source command, never here.
    exclude = ("secret_digest", "signing_key_encrypted")
    readonly_fields = ("public_id",)


@admin.register(AlertIncident)
class AlertIncidentAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "status", "triggered_at", "resolved_at", "postmortem")
    list_filter = ("status",)
    raw_id_fields = ("postmortem",)


admin.site.register(SeverityRule)
admin.site.register(RejectedDelivery)
