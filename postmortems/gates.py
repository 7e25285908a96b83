"""Blameless-language check at the review and publish gates.

``postmortem_findings(postmortem)`` runs ``language.find_blame`` over every section, every
timeline event and every contributing factor, and says where each finding is:
``section:<field>``, ``event:<pk>`` or ``factor:<pk>`` (the same anchors review comments
use). An author who keeps a flagged phrase on purpose ("a direct quote", "the name is a
service") records a ``BlameAcknowledgement`` for (location, rule, phrase) with a reason;
``unacknowledged_findings`` leaves those out. ``services.postmortem_publish`` refuses to
publish while ``unacknowledged_findings`` is not empty. A hint dismissed as "Not blame"
(``BlameDismissal``) is not a finding at all.

``missing_requirements(postmortem, stage)`` is the other gate: what the team's severity
template (``severity_templates``) asks for before review or publishing and is not there yet.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import selectors
from .dates import format_zoned
from .language import RULES, Finding, find_blame, sentence_at, sentence_key
from .models import BlameAcknowledgement, Postmortem

PHRASE_MAX = BlameAcknowledgement._meta.get_field("phrase").max_length
CONTEXT_CHARS = 60


@dataclass(frozen=True)
class LocatedFinding:
    """A finding, where it is, the text around it and its acknowledgement (if any)."""

    location: str
    label: str
    finding: Finding
    before: str
    after: str
    acknowledgement: BlameAcknowledgement | None = None
    sentence: str = ""

    @property
    def rule(self):
        return self.finding.rule

    @property
    def phrase(self):
        return self.finding.phrase

    @property
    def key(self):
        """What an acknowledgement matches: (location, rule, phrase)."""
        return acknowledgement_key(self.location, self.finding.rule, self.finding.phrase)

    @property
    def rule_title(self):
        return RULES[self.finding.rule].title

    @property
    def acknowledged(self):
        return self.acknowledgement is not None


def acknowledgement_key(location, rule, phrase):
    return (location, rule, phrase[:PHRASE_MAX])


def _sources(postmortem):
    """(location, label, text) of everything a postmortem says in prose."""
    for name in Postmortem.SECTIONS:
        field = Postmortem._meta.get_field(name)
        yield f"section:{name}", str(field.verbose_name).capitalize(), getattr(postmortem, name)
    for event in postmortem.timeline_events.order_by("occurred_at", "id"):
        label = _("Timeline, %(when)s") % {"when": format_zoned(event.occurred_at)}
        yield f"event:{event.pk}", label, event.text
    for factor in postmortem.factors.order_by("created_at", "id"):
        label = _("Contributing factor: %(category)s") % {"category": factor.get_category_display()}
        yield f"factor:{factor.pk}", label, factor.description


def postmortem_findings(
    postmortem: Postmortem, *, people: Any = None, include_dismissed: bool = False
) -> list[Any]:
    """Every finding in the postmortem, in reading order, each with its acknowledgement.

    Hints a user dismissed as "Not blame" (same rule, same sentence, same place in this
    postmortem) are left out unless ``include_dismissed``.
    """
    if people is None:
        people = selectors.lint_people()
    dismissed = set() if include_dismissed else selectors.dismissed_keys(postmortem)
    acknowledgements = {
        acknowledgement_key(a.location, a.rule, a.phrase): a
        for a in BlameAcknowledgement.objects.filter(postmortem=postmortem).select_related("by")
    }
    located = []
    for location, label, text in _sources(postmortem):
        for finding in find_blame(text or "", people=people):
            sentence = sentence_at(text, finding.start)
            if dismissed and selectors.dismissal_covers(
                dismissed, location, finding.rule, sentence_key(sentence)
            ):
                continue
            key = acknowledgement_key(location, finding.rule, finding.phrase)
            located.append(
                LocatedFinding(
                    location=location,
                    label=label,
                    finding=finding,
                    before=text[max(0, finding.start - CONTEXT_CHARS) : finding.start],
                    after=text[finding.end : finding.end + CONTEXT_CHARS],
                    acknowledgement=acknowledgements.get(key),
                    sentence=sentence,
                )
            )
    return located


def unacknowledged_findings(postmortem: Postmortem, *, people: Any = None) -> list[Any]:
    """Findings across the postmortem that have neither been fixed nor acknowledged."""
    return [f for f in postmortem_findings(postmortem, people=people) if not f.acknowledged]


# --- Severity templates -------------------------------------------------------------------


def missing_requirements(postmortem: Postmortem, stage: str) -> list[Any]:
    """Requirements of the team's template for this severity that ``postmortem`` does not
    meet yet before ``stage`` (``severity_templates.REVIEW`` or ``PUBLISH``), in order."""
    from .severity_templates import checklist

    return [requirement for requirement, met in checklist(postmortem, stage) if not met]


def missing_text(requirements: list[Any]) -> str:
    """ "a summary, the impact and when it started" for a gate's message."""
    labels = [str(r.label) for r in requirements]
    if len(labels) < 2:
        return "".join(labels)
    return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}
