"""Blameless-language acknowledgements: keeping a flagged phrase on purpose."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..anchors import anchor_exists, parse_anchor
from ..language import RULE_IDS
from ..models import BlameAcknowledgement, Postmortem
from .history import record_as

logger = logging.getLogger(__name__)


def _blame_location_exists(postmortem: Postmortem, location: str) -> bool:
    anchor = parse_anchor(location)
    return anchor is not None and anchor.kind != "general" and anchor_exists(postmortem, anchor)


def blame_acknowledge(
    *, postmortem: Postmortem, location: str, rule: str, phrase: str, reason: str, by: Any
) -> BlameAcknowledgement:
    """Keep a flagged phrase on purpose, with a short reason ("direct quote from the chat").

    The acknowledgement covers that phrase under that rule at that location (``section:…``,
    ``event:<pk>``, ``factor:<pk>``), so the publish gate lets it pass; reviewers see who
    acknowledged it, when and why. Acknowledging the same finding again replaces the reason.
    """
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the phrase stays, e.g. “direct quote from the chat”.")
    if rule not in RULE_IDS:
        errors["rule"] = _("Unknown rule.")
    if not phrase:
        errors["phrase"] = _("Nothing to acknowledge.")
    if not _blame_location_exists(postmortem, location):
        errors["location"] = _("This part of the postmortem does not exist.")
    if errors:
        raise ValidationError(errors)
    phrase = phrase[: BlameAcknowledgement._meta.get_field("phrase").max_length]
    with transaction.atomic():
        acknowledgement = (
            BlameAcknowledgement.objects.select_for_update()
            .filter(postmortem=postmortem, location=location, rule=rule, phrase=phrase)
            .first()
        ) or BlameAcknowledgement(
            postmortem=postmortem, location=location, rule=rule, phrase=phrase
        )
        acknowledgement.reason = reason
        acknowledgement.by = by
        record_as(acknowledgement, by)
        acknowledgement.full_clean()
        acknowledgement.save()
    logger.info(
        "postmortem %s: %s %r at %s acknowledged by %s", postmortem.pk, rule, phrase, location, by
    )
    return acknowledgement
