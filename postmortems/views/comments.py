"""Review comments on a postmortem: add, reply, resolve and reopen threads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions, selectors, services
from ..fields import parse_id
from ..forms import ReviewCommentForm
from ..models import Postmortem, ReviewComment
from .postmortems import render_detail

FORM_PARTIAL = "postmortems/partials/_comment_form.html"


def _comment_url(postmortem, comment=None):
    anchor = f"#comment-{comment.pk}" if comment else "#comments"
    return f"{postmortem.get_absolute_url()}{anchor}"


def _thread_or_404(postmortem, pk):
    thread = ReviewComment.objects.filter(pk=pk, postmortem=postmortem).first()
    if thread is None:
        raise Http404
    return thread


def _comment_form(request, postmortem, parent):
    """The form for a new comment or a reply, loaded on demand: htmx swaps it in (its text
    area has the focus); without JavaScript it is a page of its own."""
    context = {
        "postmortem": postmortem,
        "comment_form": ReviewCommentForm(),
        "parent": parent,
        "comments_url": reverse("postmortems:comment_create", args=[postmortem.pk]),
        "autofocus": True,
    }
    if parent is None:
        context.update(
            sections=[
                (name, Postmortem._meta.get_field(name).verbose_name, "", [])
                for name in Postmortem.SECTIONS
            ],
            factors=postmortem.factors.order_by("created_at", "id"),
            timeline_events=postmortem.timeline_events.order_by("occurred_at", "id"),
        )
    if request.htmx:
        return render(request, FORM_PARTIAL, context)
    return render(
        request,
        "postmortems/inline_form_page.html",
        {
            **context,
            "heading": _("Reply") if parent else _("Add a comment"),
            "partial": FORM_PARTIAL,
        },
    )


@require_http_methods(["GET", "POST"])
def comment_create(request, pk):
    """Anyone who can read the postmortem may comment (docs/architecture.md, Permissions).
    GET answers the form (``?parent=<thread>`` for a reply)."""
    postmortem = selectors.visible_postmortem_or_404(request.user, pk)
    if request.method == "GET":
        parent_id = parse_id(request.GET.get("parent", ""))
        if "parent" in request.GET and parent_id is None:
            raise Http404
        parent = _thread_or_404(postmortem, parent_id) if parent_id else None
        return _comment_form(request, postmortem, parent)
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
    detailed = selectors.postmortem_for_page(request.user, pk)
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
