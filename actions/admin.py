from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from postmortems.admin import StoresRenderedMarkdown

from .models import ActionItem, KaizenReview, ReminderLog, ThemeRollup


@admin.register(ActionItem)
class ActionItemAdmin(StoresRenderedMarkdown, SimpleHistoryAdmin):
    list_display = ["title", "team", "priority", "status", "assignee", "due_date"]
    list_filter = ["status", "priority", "kind", "team"]
    search_fields = ["title"]
    raw_id_fields = ["postmortem", "factor", "assignee"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["item", "kind", "for_date", "state", "attempts", "last_error"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["item", "message"]


@admin.register(ThemeRollup)
class ThemeRollupAdmin(admin.ModelAdmin):
    list_display = ["theme", "team", "period_start", "postmortem_count", "change"]
    list_filter = ["period_start"]


@admin.register(KaizenReview)
class KaizenReviewAdmin(StoresRenderedMarkdown, admin.ModelAdmin):
    pass
