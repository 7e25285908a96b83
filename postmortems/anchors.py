"""Places inside a postmortem: ``general``, ``section:<field>``, ``event:<pk>``,
``factor:<pk>``. Review comments hang on them and blame findings are located by them."""

import re
from typing import NamedTuple

from .models import Postmortem

_ANCHOR_RE = re.compile(r"^(general|section:[a-z_]+|factor:\d+|event:\d+)$")


class Anchor(NamedTuple):
    kind: str  # general | section | event | factor
    ref: str  # the section's field name or the row's pk; "" for general


def parse_anchor(text: str) -> Anchor | None:
    """The anchor ``text`` names, or None when it is not one."""
    if not _ANCHOR_RE.match(text or ""):
        return None
    kind, _sep, ref = text.partition(":")
    return Anchor(kind, ref)


def anchor_exists(postmortem: Postmortem, anchor: Anchor) -> bool:
    """Whether the section, event or factor is part of ``postmortem`` (general always is)."""
    if anchor.kind == "general":
        return True
    if anchor.kind == "section":
        return anchor.ref in Postmortem.SECTIONS
    if anchor.kind == "event":
        return postmortem.timeline_events.filter(pk=int(anchor.ref)).exists()
    if anchor.kind == "factor":
        return postmortem.factors.filter(pk=int(anchor.ref)).exists()
    return False
