"""The review workflow's buttons: one view for every status change (submit, publish, mark
not required, reopen), each POST with the service to call and what to say after."""

from collections.abc import Callable
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
from ..slack.review_messages import slack_outcome
from .access import readable_postmortem


def _no_arguments(post):
    return {}


def _submitted(postmortem):
    names = ", ".join(
        person.get_full_name() or person.get_username() for person in postmortem.reviewers.all()
    )
    said = _("Sent for review to %(names)s; they see it under “Waiting for my review”.")
    return f"{said % {'names': names}} {slack_outcome(postmortem.team)}"


def _published(postmortem):
    published = _("Published.")
    return f"{published} {slack_outcome(postmortem.team)}"


@dataclass(frozen=True)
class StatusChange:
    service: Any  # called with postmortem=, by= and what ``arguments`` reads from the POST
    # What to say after: a fixed text, or one built from the postmortem (what Slack heard).
    done: str | Promise | Callable[[Any], str]
    arguments: Callable[[Any], dict[str, Any]] = _no_arguments


STATUS_CHANGES = {
    "submit": StatusChange(services.postmortem_submit_for_review, _submitted),
    "publish": StatusChange(
        services.postmortem_publish,
        _published,
        lambda post: {"confirm_unresolved": post.get("confirm_unresolved") == "1"},
    ),
    "not_required": StatusChange(
        services.postmortem_mark_not_required,
        gettext_lazy("Marked as not required."),
        lambda post: {"reason": post.get("reason", "")},
    ),
    "reopen": StatusChange(services.postmortem_reopen, gettext_lazy("Back to draft.")),
}


@require_POST
def postmortem_change_status(request, pk, action):
    """``action`` comes from the URLconf (``STATUS_CHANGES``), never from the request."""
    postmortem = readable_postmortem(request, pk)
    change = STATUS_CHANGES[action]
    try:
        change.service(postmortem=postmortem, by=request.user, **change.arguments(request.POST))
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
    done = change.done
    messages.success(request, str(done) if isinstance(done, str | Promise) else done(postmortem))
    return redirect("postmortems:detail", pk=pk)
