"""The repeated rows of the postmortem page (timeline events, contributing factors) written
as HTML in Python, once per row.

A long postmortem has hundreds of rows; printing them through template tags (a ``{% for %}``
with ``{% if %}``s, lookups and filters per row) was about half of the read view's time. The
markup is the one the partials printed before (``_timeline_rows.html``, ``_factor_rows.html``
call these), and every value is escaped exactly as ``{{ }}`` escapes it: stored renderings
(``*_html``, sanitised when saved) are printed as they are, as ``|safe`` printed them.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from .dates import format_zoned
from .escaping import esc
from .models import ContributingFactor, Postmortem, Severity


def labels(choices: Iterable[tuple[Any, Any]]) -> dict[Any, str]:
    """A field's choice labels in the reader's language, translated once per page."""
    return {value: str(label) for value, label in choices}


def timeline_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    editing: bool,
    focus_edit: bool,
    timeline_url: str,
    edit_label: str,
    pinned_label: str,
    imported_label: str,
) -> SafeString:
    """Timeline events read-only (rows from ``timeline.day_groups``), one ``<li>`` each."""
    edit, pinned, imported = esc(edit_label), esc(pinned_label), esc(imported_label)
    url = esc(timeline_url)
    autofocus = " autofocus" if focus_edit else ""
    out = []
    for row in rows:
        pk, clock, source = esc(row["pk"]), esc(row["clock"]), row["source"]
        parts = [
            f'<li id="timeline-event-{pk}"',
            ' class="pinned">' if row["pinned"] else ">",
            f'<time datetime="{esc(row["iso"])}">{clock}</time> ',
            f'<span class="badge {esc(row["badge"])}">{esc(row["kind_label"])}</span> ',
        ]
        if row["pinned"]:
            parts.append(f'<span class="badge text-bg-light border">{pinned}</span> ')
        if source:
            source = esc(source)
            parts.append(
                f'<span class="badge text-bg-light border timeline-source" '
                f'title="{imported} {source}">{source}</span> '
            )
        parts.append(f'<div class="rendered-md">{row["html"]}</div>')
        if editing:
            parts.append(
                f' <a class="edit" href="{url}{pk}/edit/" hx-get="{url}{pk}/edit/" '
                f'aria-label="{edit} {clock}"{autofocus}>{edit}</a>'
            )
        parts.append("</li>\n")
        out.append("".join(parts))
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def factor_rows(
    factors: Iterable[Any],
    *,
    can_edit: bool,
    focus_edit: bool,
    factors_url: str,
    actions_url: str,
    edit_label: str,
    items_label: str,
) -> SafeString:
    """Contributing factors read-only (each with ``linked_action_items``), one card each."""
    edit, items = esc(edit_label), esc(items_label)
    f_url, a_url = esc(factors_url), esc(actions_url)
    autofocus = " autofocus" if focus_edit else ""
    categories = labels(ContributingFactor.Category.choices)
    statuses: dict[Any, str] | None = None
    out = []
    for factor in factors:
        pk = factor.pk
        parts = [
            f'<li id="factor-{pk}" class="card card-body contributing-factor">'
            f'<div class="factor-meta"><span class="badge text-bg-dark">'
            f"{esc(categories.get(factor.category, factor.category))}</span>"
        ]
        # The read view's selector brings the names alone; the fragments, the themes.
        names = getattr(factor, "theme_names", None)
        if names is None:
            names = [theme.name for theme in factor.themes.all()]
        for name in names:
            parts.append(f' <span class="badge text-bg-light border">#&nbsp;{esc(name)}</span>')
        # Stored HTML was sanitised when saved; a factor saved before that: its plain text.
        description = factor.description_html or linebreaksbr(factor.description, autoescape=True)
        parts.append(f'</div><div class="rendered-md">{description}</div>')
        linked = factor.linked_action_items
        if linked:
            parts.append(f'<div class="factor-items">{items}<ul>')
            if statuses is None:
                # The action items' model: this app reaches it only through the items.
                statuses = labels(type(linked[0])._meta.get_field("status").flatchoices)
            for item in linked:
                parts.append(
                    f'<li><a href="{a_url}{item.pk}/">{esc(item.title)}</a> · '
                    f"{esc(statuses.get(item.status, item.status))}</li>"
                )
            parts.append("</ul></div>")
        if can_edit:
            parts.append(
                f'<a class="edit" href="{f_url}{pk}/edit/" hx-get="{f_url}{pk}/edit/"'
                f"{autofocus}>{edit}</a>"
            )
        parts.append("</li>\n")
        out.append("".join(parts))
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def postmortem_list_rows(postmortems: Iterable[Any]) -> SafeString:
    """The list page's ``<tr>``s, one per postmortem (with ``team`` selected): title and
    link, the restricted badge, severity, status, team and the start in the reader's zone
    (as ``|zoned_date:"Y-m-d H:i T"|default:"—"`` wrote it)."""
    restricted_label = esc(gettext("Restricted"))
    restricted = f' <span class="badge text-bg-warning">{restricted_label}</span>'
    severities = labels(Severity.choices)
    statuses = labels(Postmortem.Status.choices)
    detail = reverse("postmortems:detail", args=[0]).replace("/0/", "/{}/")
    out = []
    for pm in postmortems:
        started = pm.started_at
        out.append(
            "<tr>\n"
            f'    <td><a href="{esc(detail.format(int(pm.pk)))}">{esc(pm.title)}</a>'
            f"{restricted if pm.restricted else ''}</td>\n"
            f'    <td><span class="badge text-bg-danger" '
            f'title="{esc(severities.get(pm.severity, pm.severity))}">'
            f"{esc(pm.severity)}</span></td>\n"
            f"    <td>{esc(statuses.get(pm.status, pm.status))}</td>\n"
            f"    <td>{esc(pm.team.name)}</td>\n"
            f'    <td class="text-nowrap">'
            f"{esc(format_zoned(started)) if started is not None else '—'}</td>\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def published_rows(postmortems: Iterable[Any]) -> SafeString:
    """The home page's recently published postmortems (with ``team`` selected), one
    ``<li>`` each: link, team, severity and when it was published in the reader's zone."""
    detail = reverse("postmortems:detail", args=[0]).replace("/0/", "/{}/")
    out = []
    for pm in postmortems:
        published = pm.published_at
        out.append(
            '<li class="list-group-item">\n'
            f'        <a href="{esc(detail.format(int(pm.pk)))}">{esc(pm.title)}</a>\n'
            f'        <div class="small text-body-secondary">{esc(pm.team.name)} · '
            f"{esc(pm.severity)} · "
            f"{esc(format_zoned(published)) if published is not None else ''}</div>\n"
            "      </li>\n      "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
