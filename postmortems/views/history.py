"""A postmortem's history page: who changed what, and when."""

from django.shortcuts import render

from .. import selectors
from .access import readable_postmortem


def postmortem_history(request, pk):
    postmortem = readable_postmortem(request, pk)
    return render(
        request,
        "postmortems/history.html",
        {"postmortem": postmortem, "entries": selectors.postmortem_history_entries(postmortem)},
    )
