"""Writes of the blame hints' feedback loop: "Not blame" dismissals, and the record of
what became of each hint (fixed or dismissed) that /metrics/ reports."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import gates, selectors
from ..anchors import anchor_exists, parse_anchor
from ..language import RULE_IDS, sentence_key
from ..models import BlameDismissal, BlameHint, Postmortem

logger = logging.getLogger(__name__)

SENTENCE_MAX = 2000


def _valid_location(postmortem: Postmortem, location: str) -> bool:
    if not location:
        return True  # a hint on text not saved yet
    anchor = parse_anchor(location)
    return anchor is not None and anchor.kind != "general" and anchor_exists(postmortem, anchor)


def blame_dismiss(
    *,
    postmortem: Postmortem,
    location: str,
    rule: str,
    phrase: str,
    sentence: str,
    reason: str,
    by: Any,
) -> BlameDismissal:
    """Say a hint is not blame. The same rule on the same sentence in the same place of
    this postmortem ("section:summary", "event:<pk>", "factor:<pk>"; "" for text with no
    place yet, which covers every place) is not shown again; dismissing it twice keeps the
    first dismissal and its reason."""
    sentence = (sentence or "").strip()[:SENTENCE_MAX]
    phrase = (phrase or "").strip()[: BlameDismissal._meta.get_field("phrase").max_length]
    errors: dict[str, str] = {}
    if rule not in RULE_IDS:
        errors["rule"] = _("Unknown rule.")
    if not phrase or not sentence or phrase not in sentence:
        errors["sentence"] = _("Nothing to dismiss.")
    if not _valid_location(postmortem, location or ""):
        errors["location"] = _("This part of the postmortem does not exist.")
    if errors:
        raise ValidationError(errors)
    key = sentence_key(sentence)
    dismissal = BlameDismissal(
        postmortem=postmortem,
        location=location or "",
        rule=rule,
        phrase=phrase,
        sentence=sentence,
        sentence_key=key,
        reason=(reason or "").strip()[:300],
        by=by,
    )
    dismissal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            dismissal.save()
    except IntegrityError:
        dismissal = BlameDismissal.objects.get(
            postmortem=postmortem, location=location or "", rule=rule, sentence_key=key
        )
    hints = BlameHint.objects.filter(
        postmortem=postmortem, rule=rule, sentence_key=key, outcome=BlameHint.Outcome.OPEN
    )
    if location:
        hints = hints.filter(location=location)
    hints.update(outcome=BlameHint.Outcome.DISMISSED, resolved_at=timezone.now())
    logger.info("postmortem %s: %s hint dismissed by %s", postmortem.pk, rule, by)
    return dismissal


def blame_hints_record(*, postmortem: Postmortem) -> None:
    """Bring the record of the postmortem's hints up to date with its saved text.

    A hint seen for the first time is open; an open hint that is gone is fixed, unless a
    dismissal covers it; a hint still there but dismissed is dismissed. Runs after each
    save of the postmortem, a timeline event or a contributing factor.
    """
    now = timezone.now()
    dismissed = selectors.dismissed_keys(postmortem)
    current: dict[tuple[str, str, str], str] = {}
    for item in gates.postmortem_findings(postmortem, include_dismissed=True):
        key = (item.location, item.rule, sentence_key(item.sentence))
        current.setdefault(key, item.phrase)
    existing = {
        (h.location, h.rule, h.sentence_key): h
        for h in BlameHint.objects.filter(postmortem=postmortem)
    }
    changed = []
    for key, hint in existing.items():
        if hint.outcome != BlameHint.Outcome.OPEN:
            continue
        if selectors.dismissal_covers(dismissed, *key):
            hint.outcome = BlameHint.Outcome.DISMISSED
        elif key not in current:
            hint.outcome = BlameHint.Outcome.FIXED
        else:
            continue
        hint.resolved_at = now
        changed.append(hint)
    BlameHint.objects.bulk_update(changed, ["outcome", "resolved_at"])
    new = [
        BlameHint(
            postmortem=postmortem,
            location=location,
            rule=rule,
            sentence_key=key,
            phrase=phrase[:200],
            outcome=BlameHint.Outcome.DISMISSED
            if selectors.dismissal_covers(dismissed, location, rule, key)
            else BlameHint.Outcome.OPEN,
            resolved_at=now if selectors.dismissal_covers(dismissed, location, rule, key) else None,
        )
        for (location, rule, key), phrase in current.items()
        if (location, rule, key) not in existing
    ]
    BlameHint.objects.bulk_create(new, ignore_conflicts=True)
