""" "Not blame": dismiss a hint, and the team page that lists what was dismissed.

``POST /postmortems/<pk>/blame/dismiss/`` (``postmortems:blame_dismiss``) takes the hint's
``rule``, ``phrase``, ``sentence``, ``location`` and an optional ``reason``; people who may
edit the postmortem may dismiss. An htmx request gets the hint's replacement
(``partials/_blame_dismissed.html``); a plain form post is redirected to ``next`` (a local
URL) or the findings page. ``/teams/<slug>/blame-dismissals/`` lists the team's
dismissals for its managers, only on postmortems the reader may open.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import selectors, services
from ..forms import BlameDismissalForm
from ..language import RULES
from .access import editable_postmortem


@require_POST
def blame_dismiss(request, pk):
    postmortem = editable_postmortem(request, pk)
    form = BlameDismissalForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.blame_dismiss(postmortem=postmortem, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _("Nothing to dismiss.")
    if request.htmx:
        return render(
            request,
            "partials/_blame_dismissed.html",
            {"error": error, "phrase": form.data.get("phrase", "")},
            status=400 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Marked as not blame: “%(phrase)s”.") % form.cleaned_data)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect("postmortems:findings", pk=postmortem.pk)
    return redirect(target)


@require_GET
def team_blame_dismissals(request, slug):
    team = selectors.team_for_settings(request.user, slug)
    if team is None:
        raise Http404
    page = Paginator(selectors.team_dismissals(request.user, team), 50).get_page(
        request.GET.get("page")
    )
    rows = [
        {"dismissal": d, "rule_title": RULES[d.rule].title if d.rule in RULES else d.rule}
        for d in page
    ]
    return render(
        request,
        "postmortems/team_blame_dismissals.html",
        {"team": team, "page": page, "rows": rows},
    )
