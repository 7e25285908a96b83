"""The postmortems app's forms, one module per page or fragment."""

from .datetimes import DateTimeTextInput
from .factors import ContributingFactorForm
from .filters import PostmortemFilterForm
from .postmortem import STALE_FORM_MESSAGE, NotRequiredForm, PostmortemForm
from .review import BlameAcknowledgementForm, BlameDismissalForm, ReviewCommentForm
from .review_rules import TeamReviewRulesForm
from .teams import ProfileForm, TeamSlackForm
from .timeline import TimelineDateTimeField, TimelineEventForm, TimelineImportForm

__all__ = [
    "STALE_FORM_MESSAGE",
    "BlameAcknowledgementForm",
    "BlameDismissalForm",
    "ContributingFactorForm",
    "DateTimeTextInput",
    "NotRequiredForm",
    "PostmortemFilterForm",
    "PostmortemForm",
    "ProfileForm",
    "ReviewCommentForm",
    "TeamReviewRulesForm",
    "TeamSlackForm",
    "TimelineDateTimeField",
    "TimelineEventForm",
    "TimelineImportForm",
]
