"""The review workflow's buttons: one view for every status change (submit, publish, mark
not required, reopen), each POST with the service to call and what to say after."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import services
from .access import readable_postmortem


@dataclass(frozen=True)
class StatusChange:
    service: Any  # called with postmortem=, by= and the extra arguments below
    done: str | Promise
    post_arguments: tuple[str, ...] = ()  # POST fields passed on by name


def _publish_arguments(post):
    return {"confirm_unresolved": post.get("confirm_unresolved") == "1"}


STATUS_CHANGES = {
    "submit": StatusChange(
        services.postmortem_submit_for_review,
        gettext_lazy("Sent for review. Reviewers see it on their home page."),
    ),
    "publish": StatusChange(
        services.postmortem_publish, gettext_lazy("Published. The team is told on Slack.")
    ),
    "not_required": StatusChange(
        services.postmortem_mark_not_required,
        gettext_lazy("Marked as not required."),
        post_arguments=("reason",),
    ),
    "reopen": StatusChange(services.postmortem_reopen, gettext_lazy("Back to draft.")),
}


def _arguments(action, post):
    arguments = {name: post.get(name, "") for name in STATUS_CHANGES[action].post_arguments}
    if action == "publish":
        arguments |= _publish_arguments(post)
    return arguments


@require_POST
def postmortem_change_status(request, pk, action):
    """``action`` comes from the URLconf (``STATUS_CHANGES``), never from the request."""
    postmortem = readable_postmortem(request, pk)
    change = STATUS_CHANGES[action]
    try:
        change.service(postmortem=postmortem, by=request.user, **_arguments(action, request.POST))
    except services.PostmortemNeedsConfirmation as exc:
        return render(
            request,
            "postmortems/publish_confirm.html",
            {"postmortem": postmortem, "message": exc.message, "count": exc.unresolved_count},
        )
    except services.PostmortemHasFindings as exc:
        messages.error(
            request,
            format_html(
                '{} {} <a href="{}">{}</a>',
                _("Not published."),
                exc.message,
                reverse("postmortems:findings", args=[postmortem.pk]),
                _("Review the findings"),
            ),
        )
        return redirect(postmortem)
    except services.PostmortemTransitionError as exc:
        messages.error(request, exc.message)
        return redirect(postmortem)
    messages.success(request, str(change.done))
    return redirect("postmortems:detail", pk=pk)
