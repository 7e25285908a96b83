from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AuditEvent,
    BlameAcknowledgement,
    ContributingFactor,
    Membership,
    Postmortem,
    Profile,
    ReviewComment,
    SlackMessage,
    Team,
    Theme,
    TimelineEvent,
)
from .rerender import render_markdown_fields


class StoresRenderedMarkdown:
    """Admin edits store the rendered HTML as the services do, inlines included."""

    def save_model(self, request, obj, form, change):
        render_markdown_fields(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            render_markdown_fields(inline_form.instance)
        super().save_formset(request, form, formset, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "slack_webhook_disabled_reason"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    exclude = ["slack_webhook_url"]  # managers set it on the team settings page; never shown
    # Set with the severity templates on the team settings page, where the change is audited.
    readonly_fields = ["allow_self_review"]

    def save_formset(self, request, form, formset, change):
        # Role changes made here land in the team's audit log like any other.
        from .services import audit_record

        changed = [
            (f.instance, f.initial.get("role"))
            for f in formset.forms
            if formset.model is Membership and f.instance.pk and "role" in f.changed_data
        ]
        super().save_formset(request, form, formset, change)
        for membership, old in changed:
            audit_record(
                action=AuditEvent.Action.ROLE_CHANGED,
                actor=request.user,
                team=membership.team,
                target=membership,
                detail={"user": membership.user.get_username(), "from": old, "to": membership.role},
            )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "team", "action", "target_type", "target_id"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "language", "slack_member_id"]
    search_fields = ["user__username"]


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0


class FactorInline(admin.StackedInline):
    model = ContributingFactor
    extra = 0
    filter_horizontal = ["themes"]


@admin.register(Postmortem)
class PostmortemAdmin(StoresRenderedMarkdown, SimpleHistoryAdmin):
    list_display = ["title", "team", "severity", "status", "restricted", "created_at"]
    list_filter = ["status", "severity", "restricted", "team"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["authors", "reviewers", "viewers"]
    inlines = [TimelineInline, FactorInline]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "keywords"]
    search_fields = ["name", "keywords"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ReviewComment)
class ReviewCommentAdmin(StoresRenderedMarkdown, admin.ModelAdmin):
    raw_id_fields = ["postmortem", "parent", "author", "resolved_by"]


admin.site.register(BlameAcknowledgement)


@admin.register(SlackMessage)
class SlackMessageAdmin(admin.ModelAdmin):
    list_display = ["team", "kind", "state", "attempts", "last_error", "created_at"]
    list_filter = ["state", "kind"]
    readonly_fields = ["team", "kind", "payload", "state", "attempts", "last_error", "sent_at"]
