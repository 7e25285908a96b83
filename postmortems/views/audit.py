"""A team's audit log, for its managers: the page and its CSV export."""

import csv

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from .teams import _managed_team_or_404

PAGE_SIZE = 50
# Spreadsheets run a cell as a formula when it starts with one of these (ASCII or
# full-width), also after a separator some of them split on.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def csv_safe(value):
    text = "" if value is None else str(value)
    if text.lstrip(" ;,").startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def team_audit(request, slug):
    team = _managed_team_or_404(request, slug)
    page = Paginator(selectors.team_audit_events(team), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "postmortems/team_audit.html", {"team": team, "page": page})


def team_audit_csv(request, slug):
    team = _managed_team_or_404(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{team.slug}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("When"), _("Who"), _("Action"), _("Target"), _("Target id"), _("Detail")])
    for event in selectors.team_audit_events(team).iterator(chunk_size=2000):
        writer.writerow(
            [
                csv_safe(event.at.isoformat(timespec="seconds")),
                csv_safe(event.actor.get_username() if event.actor else ""),
                csv_safe(event.action),
                csv_safe(event.target_type),
                csv_safe(event.target_id),
                csv_safe(event.detail_text),
            ]
        )
    return response
