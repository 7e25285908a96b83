from .alerts import AlertIncident, AlertLogEntry, AlertSource, RejectedDelivery, SeverityRule

__all__ = ["AlertIncident", "AlertLogEntry", "AlertSource", "RejectedDelivery", "SeverityRule"]
