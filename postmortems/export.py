"""A postmortem as one Markdown document (the read view's content, for sharing and archives)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .durations import format_duration
from .models import Postmortem
from .timeline import MARKER_LABELS, marker_durations


def _cell(value):
    # Table cells cannot hold pipes or line breaks.
    return str(value).replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip() or "—"


def _when(value):
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")


def _durations(postmortem):
    """The read view's time to detect, mitigate and resolve, with where each came from."""
    found = {d.key: d for d in marker_durations(postmortem, postmortem.timeline_events.all())}
    rows = []
    for key, label in MARKER_LABELS.items():
        marker = found.get(key)
        if marker is None:
            rows.append((label, format_duration(None)))
            continue
        source = (
            _("from the timeline") if marker.source == "timeline" else _("from the incident times")
        )
        rows.append((label, f"{format_duration(marker.delta)} ({source})"))
    return rows


def _person(user):
    return user.get_full_name() or user.get_username()


def postmortem_markdown(postmortem):
    """Everything on the read view as Markdown. ``postmortem`` comes from
    ``selectors.postmortem_for_detail`` so nothing here queries per row."""
    link = f"{settings.SITE_URL}{postmortem.get_absolute_url()}"
    lines = [f"# {postmortem.title}", ""]
    rows = [
        (_("Severity"), postmortem.get_severity_display()),
        (_("Status"), postmortem.get_status_display()),
        (_("Team"), postmortem.team.name),
        (_("Authors"), ", ".join(_person(u) for u in postmortem.authors.all())),
        (_("Reviewers"), ", ".join(_person(u) for u in postmortem.reviewers.all())),
        (_("Caused by a change"), _("yes") if postmortem.caused_by_change else _("no")),
        (_("Started"), _when(postmortem.started_at)),
        (_("Detected"), _when(postmortem.detected_at)),
        (_("Mitigated"), _when(postmortem.mitigated_at)),
        (_("Resolved"), _when(postmortem.resolved_at)),
        *_durations(postmortem),
        (_("Published"), _when(postmortem.published_at)),
        (_("Link"), link),
    ]
    if postmortem.not_required_reason:
        rows.append((_("Why no write-up is needed"), postmortem.not_required_reason))
    # Translated strings stay outside f-strings: xgettext does not look inside them.
    lines += ["| " + _("Field") + " | " + _("Value") + " |", "| --- | --- |"]
    lines += [f"| {_cell(k)} | {_cell(v)} |" for k, v in rows]
    lines.append("")

    for name in Postmortem.SECTIONS:
        label = Postmortem._meta.get_field(name).verbose_name
        text = getattr(postmortem, name).strip()
        lines += [
            f"## {str(label).capitalize()}",
            "",
            text or "_" + _("Not written yet.") + "_",
            "",
        ]

    lines += ["## " + _("Timeline"), ""]
    events = list(postmortem.timeline_events.all())
    if events:
        lines.append(_("Times in %(zone)s.") % {"zone": timezone.get_current_timezone_name()})
        lines.append("")
        for event in events:
            text = " ".join(event.text.split())
            pin = " 📌" if event.pinned else ""
            lines.append(
                f"- **{_when(event.occurred_at)}** · {event.get_kind_display()}{pin} — {text}"
            )
    else:
        lines.append("_" + _("No timeline events.") + "_")
    lines.append("")

    lines += ["## " + _("Contributing factors"), ""]
    factors = list(postmortem.factors.all())
    for factor in factors:
        themes = ", ".join(theme.name for theme in factor.themes.all())
        lines.append(f"### {factor.get_category_display()}")
        lines.append("")
        lines.append(factor.description.strip())
        if themes:
            lines += ["", _("Themes") + ": " + themes]
        lines.append("")
    if not factors:
        lines += ["_" + _("No contributing factors.") + "_", ""]

    lines += ["## " + _("Action items"), ""]
    items = list(postmortem.action_items.all())
    if items:
        lines += [
            "| "
            + " | ".join((_("Title"), _("Status"), _("Priority"), _("Assignee"), _("Due")))
            + " |",
            "| --- | --- | --- | --- | --- |",
        ]
        for item in items:
            assignee = _person(item.assignee) if item.assignee else "—"
            lines.append(
                f"| {_cell(item.title)} | {_cell(item.get_status_display())} | {item.priority} "
                f"| {_cell(assignee)} | {item.due_date:%Y-%m-%d} |"
            )
    else:
        lines.append("_" + _("No action items.") + "_")
    lines.append("")
    return "\n".join(lines)
