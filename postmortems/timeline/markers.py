"""The durations between the incident's start and its markers (detect, mitigate, resolve)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ..models import TimelineEvent


@dataclass(frozen=True)
class MarkerDuration:
    key: str
    label: str
    start: datetime.datetime
    end: datetime.datetime
    # Where the end time came from: "postmortem" (its incident times) or "timeline".
    source: str

    @property
    def delta(self):
        return self.end.astimezone(datetime.UTC) - self.start.astimezone(datetime.UTC)


MARKER_LABELS = {
    "detect": gettext_lazy("Time to detect"),
    "mitigate": gettext_lazy("Time to mitigate"),
    "resolve": gettext_lazy("Time to resolve"),
}


def marker_durations(postmortem, events):
    """Time to detect, mitigate and resolve: the one definition every page shows.

    Each is measured from the incident's start to its marker. The postmortem's incident
    times (``started_at``, ``detected_at``, ``mitigated_at``, ``resolved_at``) come first —
    they are what the metrics page counts — and the timeline fills in what is not set: the
    first event for the start, the first detection event, the first repair event
    (mitigation) and the last repair event (resolution). ``source`` says which one each end
    came from. A marker before the start is left out.
    """
    events = sorted(events, key=lambda e: (e.occurred_at, e.pk or 0))
    start = postmortem.started_at or (events[0].occurred_at if events else None)
    if start is None:
        return []
    detections = [e.occurred_at for e in events if e.kind == TimelineEvent.Kind.DETECTION]
    repairs = [e.occurred_at for e in events if e.kind == TimelineEvent.Kind.REPAIR]
    from_timeline = {
        "detect": detections[0] if detections else None,
        "mitigate": repairs[0] if repairs else None,
        "resolve": repairs[-1] if repairs else None,
    }
    from_postmortem = {
        "detect": postmortem.detected_at,
        "mitigate": postmortem.mitigated_at,
        "resolve": postmortem.resolved_at,
    }
    durations = []
    for key in MARKER_LABELS:
        source, end = "postmortem", from_postmortem[key]
        if end is None:
            source, end = "timeline", from_timeline[key]
        if end is None or end < start:
            continue
        durations.append(MarkerDuration(key, MARKER_LABELS[key], start, end, source))
    return durations
