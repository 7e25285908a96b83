"""A team's audit log, for its managers: the page and its CSV export."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import csv_cells, selectors
from .teams import _managed_team_or_404

PAGE_SIZE = 50


def team_audit(request, slug):
    team = _managed_team_or_404(request, slug)
    page = Paginator(selectors.team_audit_events(team), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "postmortems/team_audit.html", {"team": team, "page": page})


def team_audit_csv(request, slug):
    team = _managed_team_or_404(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{team.slug}-{stamp}.csv"'
    response.write(csv_cells.BOM)
    writer = csv_cells.writer(response)
    writer.writerow([_("When"), _("Who"), _("Action"), _("Target"), _("Target id"), _("Detail")])
    for event in selectors.team_audit_events(team).iterator(chunk_size=2000):
        writer.writerow(
            [
                event.at.isoformat(timespec="seconds"),
                event.actor.get_username() if event.actor else "",
                event.action,
                event.target_type,
                "" if event.target_id is None else event.target_id,
                event.detail_text,
            ]
        )
    return response
