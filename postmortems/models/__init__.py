"""The postmortems app's models, one module per part of the domain."""

from .audit import AuditEvent
from .contents import ContributingFactor, Theme, TimelineEvent
from .outbox import SlackMessage
from .postmortem import Postmortem, PostmortemQuerySet, Severity
from .review import BlameAcknowledgement, ReviewComment
from .teams import Membership, Profile, Team

__all__ = [
    "AuditEvent",
    "BlameAcknowledgement",
    "ContributingFactor",
    "Membership",
    "Postmortem",
    "PostmortemQuerySet",
    "Profile",
    "ReviewComment",
    "Severity",
    "SlackMessage",
    "Team",
    "Theme",
    "TimelineEvent",
]
