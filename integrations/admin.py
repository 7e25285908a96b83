from django.contrib import admin

from postmortems.models import AuditEvent
from postmortems.services import audit_record

from .alerts import services
from .models import AlertIncident, AlertSource, RejectedDelivery, SeverityRule


@admin.register(AlertSource)
class AlertSourceAdmin(admin.ModelAdmin):
    list_display = ("team", "kind", "name", "created_at", "last_delivery_at")
    list_filter = ("kind",)
    # Secrets are set through the integration page or the alert_source command, never here.
    exclude = ("secret_digest", "signing_key_encrypted")
    readonly_fields = ("public_id",)

    # Removals made here land in the team's audit log like those on the integration page.
    def delete_model(self, request, obj):
        services.alert_source_delete(source=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for source in queryset.select_related("team"):
            services.alert_source_delete(source=source, by=request.user)


@admin.register(AlertIncident)
class AlertIncidentAdmin(admin.ModelAdmin):
    list_display = ("title", "source", "status", "triggered_at", "resolved_at", "postmortem")
    list_filter = ("status",)
    raw_id_fields = ("postmortem",)


@admin.register(SeverityRule)
class SeverityRuleAdmin(admin.ModelAdmin):
    list_display = ("team", "value", "severity")
    list_filter = ("team",)

    # Rules changed here land in the team's audit log like the integration page's table.
    def _record(self, request, rule, changes):
        audit_record(
            action=AuditEvent.Action.SEVERITY_TABLE_CHANGED,
            actor=request.user,
            team=rule.team,
            target=rule.team,
            detail=changes,
        )

    def save_model(self, request, obj, form, change):
        before = SeverityRule.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            self._record(request, obj, {"added": {obj.value: obj.severity}})
        elif (before.team_id, before.value, before.severity) != (
            obj.team_id,
            obj.value,
            obj.severity,
        ):
            self._record(
                request,
                obj,
                {"changed": {obj.value: f"{before.value} = {before.severity} → {obj.severity}"}},
            )

    def delete_model(self, request, obj):
        self._record(request, obj, {"removed": [obj.value]})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for rule in queryset.select_related("team"):
            self.delete_model(request, rule)


admin.site.register(RejectedDelivery)
