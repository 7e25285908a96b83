"""The postmortems app's models, one module per part of the domain."""

from .audit import AuditEvent
from .blame import BlameDismissal, BlameHint
from .contents import ContributingFactor, Theme, TimelineEvent
from .outbox import SlackMessage
from .postmortem import Postmortem, PostmortemQuerySet, Severity
from .review import BlameAcknowledgement, ReviewComment
from .review_rules import SeverityTemplate
from .teams import LintPeople, Membership, Profile, Team

__all__ = [
    "AuditEvent",
    "BlameAcknowledgement",
    "BlameDismissal",
    "BlameHint",
    "ContributingFactor",
    "LintPeople",
    "Membership",
    "Postmortem",
    "PostmortemQuerySet",
    "Profile",
    "ReviewComment",
    "Severity",
    "SeverityTemplate",
    "SlackMessage",
    "Team",
    "Theme",
    "TimelineEvent",
]
