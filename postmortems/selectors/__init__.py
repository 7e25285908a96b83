"""Reads for postmortems, always scoped to what the user may see (docs/architecture.md).

One module per page or concern; other apps import these names from
``postmortems.selectors``.
"""

from .conflicts import Conflict, postmortem_conflict
from .dismissals import (
    dismissal_covers,
    dismissals_for_export,
    dismissed_keys,
    hint_outcomes,
    team_dismissals,
)
from .history import (
    postmortem_history,
    postmortem_history_entries,
    postmortem_history_people,
)
from .home import my_drafts, my_postmortems_in_review
from .pages import (
    comment_threads,
    postmortem_acknowledgements,
    postmortem_factor,
    postmortem_factors,
    postmortem_for_detail,
    postmortem_for_edit,
    postmortem_for_page,
    postmortem_timeline,
    postmortems_awaiting_review,
)
from .people import lint_people, people_names
from .search import postmortem_search
from .teams import (
    recent_slack_messages,
    team_audit_events,
    team_for_settings,
    teams_for_postmortem_form,
)
from .visibility import visible_postmortem_or_404, visible_postmortems, visible_themes

__all__ = [
    "Conflict",
    "comment_threads",
    "dismissal_covers",
    "dismissals_for_export",
    "dismissed_keys",
    "hint_outcomes",
    "lint_people",
    "my_drafts",
    "my_postmortems_in_review",
    "people_names",
    "postmortem_acknowledgements",
    "postmortem_conflict",
    "postmortem_factor",
    "postmortem_factors",
    "postmortem_for_detail",
    "postmortem_for_edit",
    "postmortem_for_page",
    "postmortem_history",
    "postmortem_history_entries",
    "postmortem_history_people",
    "postmortem_search",
    "postmortem_timeline",
    "postmortems_awaiting_review",
    "recent_slack_messages",
    "team_audit_events",
    "team_dismissals",
    "team_for_settings",
    "teams_for_postmortem_form",
    "visible_postmortem_or_404",
    "visible_postmortems",
    "visible_themes",
]
