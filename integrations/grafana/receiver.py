"""Grafana Alerting's webhook contact point.

Grafana's payload is Alertmanager's with extras (``orgId``, ``title``, ``state``,
``message``, per-alert ``values``) and ``version`` "1"; the contact point's
"Authorization header" setting sends ``Authorization: Bearer <secret>``.
(grafana.com, "Configure the webhook notifier for Alerting".)
"""

from integrations.alertmanager import receiver as alertmanager
from integrations.alerts.bearer import authenticate  # noqa: F401  (the receiver's interface)

SOURCE_LABEL = "Grafana"
VERSION = "1"


def parse(payload):
    return alertmanager.parse(payload, version=VERSION, label=SOURCE_LABEL)
