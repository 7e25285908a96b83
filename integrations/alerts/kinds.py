"""Alert source kind -> its receiver module (``authenticate``, ``parse``, ``SOURCE_LABEL``)."""

from integrations.alertmanager import receiver as alertmanager
from integrations.grafana import receiver as grafana
from integrations.opsgenie import receiver as opsgenie
from integrations.pagerduty import receiver as pagerduty

RECEIVERS = {
    "pagerduty": pagerduty,
    "opsgenie": opsgenie,
    "alertmanager": alertmanager,
    "grafana": grafana,
}
