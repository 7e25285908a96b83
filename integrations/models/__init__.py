from .alerts import AlertIncident, AlertLogEntry, AlertSource, RejectedDelivery, SeverityRule
from .slack_import import SlackImport, SlackImportedMessage
from .trackers import TrackerConnection, TrackerLink, TrackerMessage

__all__ = [
    "AlertIncident",
    "AlertLogEntry",
    "AlertSource",
    "RejectedDelivery",
    "SeverityRule",
    "SlackImport",
    "SlackImportedMessage",
    "TrackerConnection",
    "TrackerLink",
    "TrackerMessage",
]
