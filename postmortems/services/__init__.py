"""Writes for postmortems and teams, one module per sub-domain (docs/architecture.md).

Keyword-only arguments; validation, then save inside a transaction. Other apps import
these names from ``postmortems.services``.
"""

from ..slack.outbox import (
    slack_message_attempt,
    slack_message_enqueue,
    slack_message_finished,
    slack_messages_enqueue,
    slack_messages_redispatch,
    team_disable_slack_webhook,
)
from .acknowledgements import blame_acknowledge
from .audit import audit_lockout, audit_record
from .authoring import (
    POSTMORTEM_EDITABLE_FIELDS,
    POSTMORTEM_M2M_FIELDS,
    POSTMORTEM_TIME_FIELDS,
    PostmortemVersionConflict,
    postmortem_create,
    postmortem_time_errors,
    postmortem_update,
)
from .comments import review_comment_create, review_comment_set_resolved
from .dismissals import blame_dismiss, blame_hints_record
from .factors import factor_create, factor_delete, factor_update
from .incidents import postmortem_sync_from_incident
from .profiles import profile_sync_person_names
from .review_rules import team_set_review_rules
from .teams import membership_set_role, team_send_test_message, team_set_slack_webhook
from .themes import theme_get_or_create, theme_merge, theme_save, theme_unique_slug
from .timeline import (
    timeline_event_create,
    timeline_event_delete,
    timeline_event_set_pinned,
    timeline_event_update,
    timeline_import,
)
from .workflow import (
    SELF_REVIEW_REASON,
    PostmortemHasFindings,
    PostmortemIncomplete,
    PostmortemNeedsConfirmation,
    PostmortemTransitionError,
    postmortem_mark_not_required,
    postmortem_publish,
    postmortem_reopen,
    postmortem_submit_for_review,
    postmortem_unresolved_comment_count,
)

__all__ = [
    "POSTMORTEM_EDITABLE_FIELDS",
    "POSTMORTEM_M2M_FIELDS",
    "POSTMORTEM_TIME_FIELDS",
    "SELF_REVIEW_REASON",
    "PostmortemHasFindings",
    "PostmortemIncomplete",
    "PostmortemNeedsConfirmation",
    "PostmortemTransitionError",
    "PostmortemVersionConflict",
    "audit_lockout",
    "audit_record",
    "blame_acknowledge",
    "blame_dismiss",
    "blame_hints_record",
    "factor_create",
    "factor_delete",
    "factor_update",
    "membership_set_role",
    "postmortem_create",
    "postmortem_mark_not_required",
    "postmortem_publish",
    "postmortem_reopen",
    "postmortem_submit_for_review",
    "postmortem_sync_from_incident",
    "postmortem_time_errors",
    "postmortem_unresolved_comment_count",
    "postmortem_update",
    "profile_sync_person_names",
    "review_comment_create",
    "review_comment_set_resolved",
    "slack_message_attempt",
    "slack_message_enqueue",
    "slack_message_finished",
    "slack_messages_enqueue",
    "slack_messages_redispatch",
    "team_disable_slack_webhook",
    "team_send_test_message",
    "team_set_review_rules",
    "team_set_slack_webhook",
    "theme_get_or_create",
    "theme_merge",
    "theme_save",
    "theme_unique_slug",
    "timeline_event_create",
    "timeline_event_delete",
    "timeline_event_set_pinned",
    "timeline_event_update",
    "timeline_import",
]
