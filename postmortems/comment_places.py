"""Where a review comment sits, for a reader: the section's translated name (never the
stored anchor key such as ``section:summary``), a link to it, and the threads grouped so
each section shows its own comments beside it."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from .anchors import parse_anchor
from .models import Postmortem


@dataclass
class Place:
    label: str
    href: str


@dataclass
class PlacedThreads:
    # section field name -> its threads, shown beside the section
    by_section: dict = field(default_factory=dict)
    # the whole postmortem, timeline events and factors, shown under "Review comments"
    elsewhere: list = field(default_factory=list)


def place_of(anchor, *, events, factors):
    """The reader's name for ``anchor`` and the page fragment that shows it. ``events`` and
    ``factors`` are dicts by pk (the page's prefetched rows)."""
    kind, ref = parse_anchor(anchor or "general") or ("", "")
    if kind == "section" and ref in Postmortem.SECTIONS:
        label = capfirst(Postmortem._meta.get_field(ref).verbose_name)
        return Place(str(label), f"#section-{ref}")
    if kind == "event" and ref.isdigit() and int(ref) in events:
        event = events[int(ref)]
        local = timezone.localtime(event.occurred_at)
        return Place(
            _("Timeline event at %(time)s") % {"time": f"{local:%Y-%m-%d %H:%M} {local.tzname()}"},
            f"#timeline-event-{event.pk}",
        )
    if kind == "factor" and ref.isdigit() and int(ref) in factors:
        factor = factors[int(ref)]
        return Place(
            _("Contributing factor: %(text)s") % {"text": Truncator(factor.description).chars(60)},
            f"#factor-{factor.pk}",
        )
    if kind == "general":
        return Place(_("The whole postmortem"), "#comments")
    # An event or factor deleted since the comment was written.
    return Place(_("A part that was removed"), "#comments")


def place_threads(threads, *, events, factors):
    """Label every thread (``thread.place``) and group them by where they are shown."""
    events = {e.pk: e for e in events}
    factors = {f.pk: f for f in factors}
    placed = PlacedThreads()
    for thread in threads:
        thread.place = place_of(thread.anchor, events=events, factors=factors)
        kind, ref = parse_anchor(thread.anchor) or ("", "")
        if kind == "section" and ref in Postmortem.SECTIONS:
            placed.by_section.setdefault(ref, []).append(thread)
        else:
            placed.elsewhere.append(thread)
    return placed
