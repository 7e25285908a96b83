from django.shortcuts import render

from postmortems.models import Postmortem
from postmortems.selectors import postmortems_awaiting_review, visible_postmortems

from .. import selectors


def home(request):
    visible = visible_postmortems(request.user).select_related("team")
    context = {
        "my_drafts": visible.filter(
            authors=request.user,
            status__in=[Postmortem.Status.DRAFT, Postmortem.Status.IN_REVIEW],
        )[:10],
        "recent": visible.filter(status=Postmortem.Status.PUBLISHED).order_by(
            "-published_at", "-id"
        )[:10],
        "my_actions": selectors.my_open_actions(request.user)[:15],
        "awaiting_my_review": postmortems_awaiting_review(request.user)[:10],
    }
    return render(request, "home.html", context)
