"""The Kaizen page's theme cards (badges, sparkline, figures, drill-down lists) written as
HTML in Python, once per theme.

Through template tags each card was a dozen ``{% if %}``s, loops, ``{% url %}``s,
translations and a sparkline include whose every coordinate went through localisation:
most of the page's rendering time. The markup is the one ``kaizen.html`` printed, every
value escaped as ``{{ }}`` escapes it (``page_rows.esc``); strings are translated once per
page with the catalogue's message ids.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from postmortems.page_rows import esc, labels

from .kaizen import ThemeTrend
from .models import ActionItem

_PK = 2_147_483_647  # a pk no URL pattern treats specially: split off to build each link


def _link_parts(name: str) -> tuple[str, str]:
    url = reverse(name, args=[_PK])
    head, tail = url.split(str(_PK), 1)
    return esc(head), esc(tail)


def incident_time(value: datetime.datetime, zone: datetime.tzinfo) -> str:
    """``value`` in ``zone`` as ``zoned_date(value, "Y-m-d H:i T")`` writes it (the zone
    kept in the hour a DST change repeats), without parsing the format for each line."""
    at = timezone.localtime(value, zone)
    return (
        f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d} "
        f"{at.tzname() or ''}"
    )


def sparkline_svg(name: str, counts: list[int], geometry: dict[str, Any] | None) -> str:
    """The sparkline of one theme (``kaizen.sparkline`` geometry), with its text for
    screen readers; empty without counts."""
    if not geometry:
        return ""
    joined = ", ".join(str(n) for n in counts)
    # As ``{% blocktranslate %}``: the values escaped, the translated text as it is.
    label = gettext("Postmortems per week for %(name)s, oldest first: %(counts)s") % {
        "name": esc(name),
        "counts": joined,
    }
    width, height = geometry["width"], geometry["height"]
    dots = "".join(
        f'<circle cx="{d["x"]}" cy="{d["y"]}" r="2.2" fill="#0d6efd"/>'
        if d["value"]
        else f'<circle cx="{d["x"]}" cy="{d["y"]}" r="1.2" fill="#adb5bd"/>'
        for d in geometry["dots"]
    )
    per_week = gettext("Per week: %(counts)s") % {"counts": joined}
    return (
        f'<svg class="sparkline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        f'<polyline points="{geometry["points"]}" fill="none" stroke="#0d6efd" '
        f'stroke-width="1.5"/>{dots}</svg>'
        f'<span class="visually-hidden">{per_week}</span>'
    )


def theme_cards(
    trends: Iterable[ThemeTrend], *, drill_limit: int, recurring_periods: int
) -> SafeString:
    """One ``<li class="card">`` per ranked theme, numbered from 1."""
    pm_head, pm_tail = _link_parts("postmortems:detail")
    item_head, item_tail = _link_parts("actions:detail")
    kinds = labels(ActionItem.Kind.choices)
    new = esc(gettext("new this period"))
    # Numbers only go into the "blocktranslate" texts: nothing to escape.
    recurring = gettext("recurring %(n)s+ periods") % {"n": recurring_periods}
    figures = gettext(
        "%(total)s postmortems in %(periods)s of %(count)s weeks · %(factors)s factors · "
        "%(open)s open actions (%(overdue)s overdue) at the latest week's end"
    )
    postmortems_heading = esc(gettext("Postmortems"))
    items_heading = esc(gettext("Open action items"))
    in_all = gettext("%(n)s in all")
    none = esc(gettext("None you can open."))
    due = esc(gettext("due"))
    zone = timezone.get_current_timezone()
    out = []
    for number, t in enumerate(trends, start=1):
        name = esc(t.name)
        parts = [
            f'<li class="card mb-3" id="theme-{t.theme_id}" data-theme="{name}">'
            '<div class="card-body"><div class="d-flex flex-wrap align-items-center gap-2">'
            f'<h3 class="h6 mb-0 me-2">{number}. {name}</h3>'
        ]
        if t.is_new:
            parts.append(f'<span class="badge text-bg-info" data-badge="new">{new}</span>')
        if t.is_recurring:
            parts.append(
                f'<span class="badge text-bg-danger" data-badge="recurring">{recurring}</span>'
            )
        parts.append(
            f'<span class="ms-auto">{sparkline_svg(t.name, t.counts, t.sparkline)}</span></div>'
        )
        text = figures % {
            "total": t.total,
            "periods": t.periods_with_incidents,
            "count": len(t.counts),
            "factors": t.factors,
            "open": t.open_actions,
            "overdue": t.overdue_actions,
        }
        parts.append(
            f'<p class="small text-body-secondary mb-2">{text}</p><div class="row g-3">'
            f'<div class="col-md-6"><h4 class="small fw-semibold mb-1">{postmortems_heading}</h4>'
        )
        if t.postmortems:
            parts.append('<ul class="small mb-0">')
            for pm in t.postmortems:
                at = incident_time(pm["at"], zone)
                parts.append(
                    f'<li><a href="{pm_head}{pm["pk"]}{pm_tail}">{esc(pm["title"])}</a> '
                    f'<span class="text-body-secondary">{esc(pm["severity"])} · {esc(at)}'
                    "</span></li>"
                )
            parts.append("</ul>")
            if t.postmortem_count > drill_limit:
                more = in_all % {"n": t.postmortem_count}
                parts.append(f'<p class="small text-body-secondary mb-0">{more}</p>')
        else:
            parts.append(f'<p class="small text-body-secondary mb-0">{none}</p>')
        parts.append(
            f'</div><div class="col-md-6"><h4 class="small fw-semibold mb-1">{items_heading}</h4>'
        )
        if t.action_items:
            parts.append('<ul class="small mb-0">')
            for item in t.action_items[:drill_limit]:
                kind = kinds.get(item["kind"], item["kind"])
                parts.append(
                    f'<li><a href="{item_head}{item["pk"]}{item_tail}">{esc(item["title"])}</a> '
                    f'<span class="badge text-bg-light border">{esc(kind)}</span> '
                    f'<span class="text-body-secondary">{due} '
                    f"{item['due_date']:%Y-%m-%d}</span></li>"
                )
            parts.append("</ul>")
            if t.action_item_count > drill_limit:
                more = in_all % {"n": t.action_item_count}
                parts.append(f'<p class="small text-body-secondary mb-0">{more}</p>')
        else:
            parts.append(f'<p class="small text-body-secondary mb-0">{none}</p>')
        parts.append("</div></div></div></li>\n")
        out.append("".join(parts))
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def team_options(teams: Iterable[Any], selected: Any = None) -> SafeString:
    """The team filter's ``<option>``s (a few hundred teams: one loop here, not a template
    loop with an ``{% if %}`` per team)."""
    chosen = selected.pk if selected is not None else None
    return mark_safe(  # noqa: S308 - names escaped, pks are numbers
        "".join(
            f'<option value="{t.pk}"{" selected" if t.pk == chosen else ""}>{esc(t.name)}</option>'
            for t in teams
        )
    )
