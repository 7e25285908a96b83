"""Postmortem pages: list, read, write (with version conflicts), preview, export."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import markdown, permissions, selectors, services, severity_templates
from ..comment_places import place_threads
from ..export import postmortem_markdown
from ..filters import PostmortemFilter
from ..forms import NotRequiredForm, PostmortemForm, ReviewCommentForm
from ..models import AuditEvent, Postmortem
from ..page_rows import postmortem_list_rows
from .access import editable_postmortem
from .errors import add_service_errors

PAGE_SIZE = 25


# --- List -----------------------------------------------------------------------------------


def postmortem_list(request):
    # The columns the table shows, not every Markdown section and its HTML.
    listed = (
        selectors.visible_postmortems(request.user)
        .select_related("team")
        .only("title", "severity", "status", "restricted", "started_at", "team__name")
    )
    filterset = PostmortemFilter(request.GET, queryset=listed)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    filtered = any(v for k, v in request.GET.items() if k not in ("page", "sort"))
    anything_visible = page.paginator.count > 0 or (
        filtered and selectors.visible_postmortems(request.user).exists()
    )
    return render(
        request,
        "postmortems/list.html",
        {
            "form": filterset.form,
            "page": page,
            "rows_html": postmortem_list_rows(page.object_list),
            "filtered": filtered,
            "anything_visible": anything_visible,
        },
        status=400 if filterset.form.errors else 200,
    )


# --- Read -----------------------------------------------------------------------------------


def render_detail(request, postmortem, *, comment_form=None, status=200):
    """The read view for a postmortem loaded by ``selectors.postmortem_for_page``."""
    user = request.user
    threads = selectors.comment_threads(postmortem)
    placed = place_threads(
        threads, events=postmortem.timeline_events.all(), factors=postmortem.factors.all()
    )
    context = {
        "postmortem": postmortem,
        "timeline_events": postmortem.timeline_events.all(),
        "factors": postmortem.factors.all(),
        "action_items": postmortem.action_items.all(),
        "threads": placed.elsewhere,
        "section_threads": placed.by_section,
        "unresolved_count": sum(1 for t in threads if not t.resolved),
        "can_edit": permissions.can_edit_postmortem(user, postmortem),
        "can_publish": permissions.can_publish_postmortem(user, postmortem),
        "can_approve": permissions.can_approve_postmortem(user, postmortem),
        "next_step": _next_step(postmortem),
        "comment_form": comment_form or ReviewCommentForm(),
        "not_required_form": NotRequiredForm(),
        "sections": [
            (
                name,
                Postmortem._meta.get_field(name).verbose_name,
                getattr(postmortem, f"{name}_html"),
                placed.by_section.get(name, []),
            )
            for name in Postmortem.SECTIONS
        ],
        "findings_url": reverse("postmortems:findings", args=[postmortem.pk]),
        "comments_url": reverse("postmortems:comment_create", args=[postmortem.pk]),
    }
    return render(request, "postmortems/detail.html", context, status=status)


def _next_step(postmortem):
    """The severity template's checklist for the next step (review or publishing)."""
    stage = {
        Postmortem.Status.DRAFT: severity_templates.REVIEW,
        Postmortem.Status.IN_REVIEW: severity_templates.PUBLISH,
    }.get(postmortem.status)
    if stage is None:
        return None
    items = severity_templates.checklist(postmortem, stage)
    return {"stage": stage, "items": items, "missing": sum(1 for _r, met in items if not met)}


def postmortem_detail(request, pk):
    postmortem = selectors.postmortem_for_page(request.user, pk)
    if postmortem is None:
        raise Http404
    return render_detail(request, postmortem)


# --- Write ----------------------------------------------------------------------------------


def postmortem_create(request):
    form = PostmortemForm(request.POST or None, user=request.user)
    if not form.fields["team"].queryset.exists():
        messages.info(request, _("Join a team first: postmortems belong to a team."))
    if request.method == "POST" and form.is_valid():
        try:
            postmortem = services.postmortem_create(data=form.service_data(), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(postmortem)
    return render(
        request,
        "postmortems/form.html",
        {"form": form, "postmortem": None},
        status=400 if form.errors else 200,
    )


def postmortem_edit(request, pk):
    postmortem = editable_postmortem(request, pk)
    if request.method != "POST":
        form = PostmortemForm(
            instance=postmortem, initial={"version": postmortem.version}, user=request.user
        )
        return render(request, "postmortems/form.html", {"form": form, "postmortem": postmortem})

    form = PostmortemForm(request.POST, instance=postmortem, user=request.user)
    if form.is_valid():
        expected = form.cleaned_data["version"]
        try:
            services.postmortem_update(
                postmortem=postmortem,
                data=form.service_data(),
                by=request.user,
                expected_version=expected,
            )
        except services.PostmortemVersionConflict as conflict:
            return _render_conflict(request, conflict.current, form.cleaned_data, expected)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(postmortem)
    return render(
        request, "postmortems/form.html", {"form": form, "postmortem": postmortem}, status=400
    )


def _render_conflict(request, current, mine, expected):
    """409: someone saved first. Keep every word the user typed and show theirs beside it
    (the three-way comparison is ``selectors.postmortem_conflict``)."""
    conflict = selectors.postmortem_conflict(current, mine, expected)
    return render(
        request,
        "postmortems/conflict.html",
        {
            "form": PostmortemForm(instance=current, initial=conflict.merged, user=request.user),
            "postmortem": current,
            "conflicts": conflict.sections,
            "other_changes": conflict.other_changes,
            "editor": conflict.editor,
            "edited_at": conflict.edited_at,
        },
        status=409,
    )


@require_POST
def postmortem_preview(request):
    """Rendered Markdown for the live preview (htmx). Same renderer as the saved page."""
    field = request.POST.get("preview_field", "")
    text = request.POST.get(field if field in Postmortem.SECTIONS else "text", "")
    text = text[: settings.POSTMORTEM_SECTION_MAX_CHARS]
    html = markdown.render(text)
    if not html:
        html = format_html('<p class="text-body-secondary">{}</p>', _("Nothing to preview yet."))
    return HttpResponse(html)


# --- Export -----------------------------------------------------------------------


def postmortem_export(request, pk):
    postmortem = selectors.postmortem_for_detail(request.user, pk)
    if postmortem is None:
        raise Http404
    services.audit_record(
        action=AuditEvent.Action.EXPORT_MARKDOWN,
        actor=request.user,
        team=postmortem.team,
        target=postmortem,
    )
    response = HttpResponse(
        postmortem_markdown(postmortem), content_type="text/markdown; charset=utf-8"
    )
    name = slugify(postmortem.title, allow_unicode=True)[:60] or "postmortem"
    response["Content-Disposition"] = content_disposition_header(
        True, f"postmortem-{postmortem.pk}-{name}.md"
    )
    return response
