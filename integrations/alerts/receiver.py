"""The endpoint every alert source posts to: authenticate, parse, apply, answer.

A delivery is refused with 401 (secret or signature wrong), 400 (not the tool's payload,
with the reason in the answer) or 413 (too large), and every refusal is listed on the
team's integration page. Nothing a sender posts can make this answer 500.
"""

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.db import DataError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from integrations.models import AlertSource

from . import services
from .incident import PayloadError
from .kinds import RECEIVERS

logger = logging.getLogger(__name__)


def _refuse(source, status, reason, excerpt=""):
    services.delivery_reject(
        team=source.team, source=source, status_code=status, reason=reason, excerpt=excerpt
    )
    return JsonResponse({"error": reason}, status=status)


@login_not_required
@csrf_exempt
@require_POST
def alert_receive(request, public_id):
    source = AlertSource.objects.select_related("team").filter(public_id=public_id).first()
    if source is None:
        return JsonResponse({"error": "unknown endpoint"}, status=404)
    receiver = RECEIVERS[source.kind]
    try:
        body = request.body
    except RequestDataTooBig:
        return _refuse(source, 413, "the delivery is too large")
    if not receiver.authenticate(request, source):
        reason = (
            "signature does not match"
            if source.kind == AlertSource.Kind.PAGERDUTY
            else "missing or wrong bearer secret"
        )
        return _refuse(source, 401, reason)
    excerpt = body[:500].decode("utf-8", "replace")
    try:
        payload = json.loads(body)
        update = receiver.parse(payload)
    except PayloadError as exc:
        return _refuse(source, 400, f"malformed payload: {exc}", excerpt)
    except (ValueError, RecursionError):
        # RecursionError: JSON nested deeper than the parser goes.
        return _refuse(source, 400, "the body is not JSON", excerpt)
    if update is None:
        return JsonResponse({"status": "ignored"})
    try:
        result = services.incident_apply(source=source, update=update, label=receiver.SOURCE_LABEL)
    except ValidationError as exc:
        return _refuse(source, 400, "rejected: " + " ".join(exc.messages), excerpt)
    except DataError:
        # A value the database cannot store (out of range, bad encoding): the sender's fault.
        logger.warning("alert source %s: delivery not storable", source.pk, exc_info=True)
        return _refuse(source, 400, "rejected: a value cannot be stored", excerpt)
    incident = result.incident
    return JsonResponse(
        {
            "status": "duplicate" if result.duplicate else "accepted",
            "incident": incident.external_id,
            "incident_status": incident.status,
            "postmortem": incident.postmortem_id,
        }
    )
