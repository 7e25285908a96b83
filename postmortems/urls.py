from django.urls import path

from .views import (
    audit,
    comments,
    dismissals,
    factors,
    findings,
    history,
    lint,
    postmortems,
    profile,
    teams,
    timeline,
    workflow,
)

app_name = "postmortems"

urlpatterns = [
    path("teams/<slug:slug>/settings/", teams.team_settings, name="team_settings"),
    path("teams/<slug:slug>/review-rules/", teams.team_review_rules, name="team_review_rules"),
    path("teams/<slug:slug>/test-message/", teams.team_test_message, name="team_test_message"),
    path(
        "teams/<slug:slug>/blame-dismissals/",
        dismissals.team_blame_dismissals,
        name="team_blame_dismissals",
    ),
    path("teams/<slug:slug>/audit/", audit.team_audit, name="team_audit"),
    path("teams/<slug:slug>/audit.csv", audit.team_audit_csv, name="team_audit_csv"),
    path("profile/", profile.profile, name="profile"),
    path("postmortems/", postmortems.postmortem_list, name="list"),
    path("postmortems/new/", postmortems.postmortem_create, name="create"),
    path("postmortems/preview/", postmortems.postmortem_preview, name="preview"),
    path("postmortems/lint/", lint.lint, name="lint"),
    path("postmortems/guide/blameless/", lint.blameless_guide, name="blameless_guide"),
    path("postmortems/<int:pk>/", postmortems.postmortem_detail, name="detail"),
    path("postmortems/<int:pk>/edit/", postmortems.postmortem_edit, name="edit"),
    path("postmortems/<int:pk>/export.md", postmortems.postmortem_export, name="export"),
    path("postmortems/<int:pk>/history/", history.postmortem_history, name="history"),
    *(
        path(
            f"postmortems/<int:pk>/{action.replace('_', '-')}/",
            workflow.postmortem_change_status,
            {"action": action},
            name=action,
        )
        for action in workflow.STATUS_CHANGES
    ),
    path("postmortems/<int:pk>/findings/", findings.postmortem_findings, name="findings"),
    path("postmortems/<int:pk>/blame/dismiss/", dismissals.blame_dismiss, name="blame_dismiss"),
    path("postmortems/<int:pk>/comments/", comments.comment_create, name="comment_create"),
    path(
        "postmortems/<int:pk>/comments/<int:comment_pk>/resolve/",
        comments.comment_resolve,
        name="comment_resolve",
    ),
    path("postmortems/<int:pk>/timeline/", timeline.timeline_list, name="timeline_list"),
    path("postmortems/<int:pk>/timeline/add/", timeline.timeline_add, name="timeline_add"),
    path("postmortems/<int:pk>/timeline/import/", timeline.timeline_import, name="timeline_import"),
    path(
        "postmortems/<int:pk>/timeline/<int:event_id>/",
        timeline.timeline_event,
        name="timeline_event",
    ),
    path(
        "postmortems/<int:pk>/timeline/<int:event_id>/edit/",
        timeline.timeline_edit,
        name="timeline_edit",
    ),
    path(
        "postmortems/<int:pk>/timeline/<int:event_id>/delete/",
        timeline.timeline_delete,
        name="timeline_delete",
    ),
    path(
        "postmortems/<int:pk>/timeline/<int:event_id>/pin/",
        timeline.timeline_pin,
        name="timeline_pin",
    ),
    path("postmortems/<int:pk>/factors/", factors.factor_list, name="factor_list"),
    path("postmortems/<int:pk>/factors/add/", factors.factor_add, name="factor_add"),
    path(
        "postmortems/<int:pk>/factors/<int:factor_id>/",
        factors.factor_row,
        name="factor",
    ),
    path(
        "postmortems/<int:pk>/factors/<int:factor_id>/edit/",
        factors.factor_edit,
        name="factor_edit",
    ),
    path(
        "postmortems/<int:pk>/factors/<int:factor_id>/delete/",
        factors.factor_delete,
        name="factor_delete",
    ),
]
