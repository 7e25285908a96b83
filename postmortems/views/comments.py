"""Review comments on a postmortem: add, reply, resolve and reopen threads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, services
from ..forms import ReviewCommentForm
from ..models import ReviewComment
from .postmortems import render_detail


def _comment_url(postmortem, comment=None):
    anchor = f"#comment-{comment.pk}" if comment else "#comments"
    return f"{postmortem.get_absolute_url()}{anchor}"


@require_POST
def comment_create(request, pk):
    """Anyone who can read the postmortem may comment (docs/architecture.md, Permissions)."""
    postmortem = selectors.visible_postmortem_or_404(request.user, pk)
    form = ReviewCommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = ReviewComment.objects.filter(
                pk=form.cleaned_data["parent"], postmortem=postmortem
            ).first()
            if parent is None:
                raise Http404
        try:
            comment = services.review_comment_create(
                postmortem=postmortem,
                by=request.user,
                body=form.cleaned_data["body"],
                anchor=form.cleaned_data.get("anchor") or "general",
                parent=parent,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("body" if field == "body" else None, errors)
        else:
            messages.success(request, _("Comment added."))
            return redirect(_comment_url(postmortem, comment))
    detailed = selectors.postmortem_for_detail(request.user, pk)
    return render_detail(request, detailed, comment_form=form, status=400)


@require_POST
def comment_resolve(request, pk, comment_pk):
    """Resolve (``resolved=1``) or reopen (``resolved=0``) a thread: editors and its author."""
    postmortem = selectors.visible_postmortem_or_404(request.user, pk)
    comment = ReviewComment.objects.filter(pk=comment_pk, postmortem=postmortem).first()
    if comment is None:
        raise Http404
    if not permissions.can_resolve_comment(request.user, postmortem, comment):
        raise PermissionDenied
    root = comment.parent or comment
    resolved = request.POST.get("resolved", "1") == "1"
    services.review_comment_set_resolved(comment=root, by=request.user, resolved=resolved)
    messages.success(request, _("Thread resolved.") if resolved else _("Thread reopened."))
    return redirect(_comment_url(postmortem, root))
