from django.shortcuts import render
from django.utils import timezone

from postmortems.models import Postmortem
from postmortems.page_rows import published_rows
from postmortems.selectors import (
    my_drafts,
    my_postmortems_in_review,
    postmortems_awaiting_review,
    visible_postmortems,
)

from .. import selectors
from ..home_rows import open_action_rows_html

# What the home page's postmortem lists show: not the Markdown sections and their HTML.
LISTED = ("title", "severity", "status", "published_at", "team__name")


def home(request):
    visible = visible_postmortems(request.user).select_related("team")
    recent = list(
        visible.filter(status=Postmortem.Status.PUBLISHED)
        .only(*LISTED)
        .order_by("-published_at", "-id")[:10]
    )
    my_actions = selectors.my_open_actions(request.user, limit=15)
    context = {
        "my_drafts": my_drafts(request.user).only(*LISTED)[:10],
        "my_in_review": my_postmortems_in_review(request.user).only(*LISTED)[:10],
        "recent": recent,
        "recent_html": published_rows(recent),
        "my_actions": my_actions,
        "my_actions_html": open_action_rows_html(my_actions, today=timezone.localdate()),
        "awaiting_my_review": postmortems_awaiting_review(request.user).only(*LISTED)[:10],
    }
    return render(request, "home.html", context)
