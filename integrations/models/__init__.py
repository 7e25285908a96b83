from .alerts import AlertIncident, AlertLogEntry, AlertSource, RejectedDelivery, SeverityRule
from .slack_import import SlackImport

__all__ = [
    "AlertIncident",
    "AlertLogEntry",
    "AlertSource",
    "RejectedDelivery",
    "SeverityRule",
    "SlackImport",
]
