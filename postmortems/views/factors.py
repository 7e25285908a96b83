"""Contributing factors: inline add/edit/delete (htmx) with a plain-form fallback.

Factors describe systems and conditions (never "root cause", never a person); themes tag
them for the Kaizen roll-up and can be picked or created by typing a name.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django_htmx.http import reswap, retarget

from .. import selectors, services
from ..forms import ContributingFactorForm
from ..permissions import can_edit_postmortem
from .timeline import add_service_errors, back_to, editable_postmortem, readable_postmortem

PARTIAL = "postmortems/partials/_factors.html"
FORM_PARTIAL = "postmortems/partials/_factor_form.html"


def _context(request, postmortem):
    return {
        "postmortem": postmortem,
        "factors": selectors.postmortem_factors(postmortem),
        "can_edit": can_edit_postmortem(request.user, postmortem),
    }


def _after_write(request, postmortem):
    if request.htmx:
        response = render(request, PARTIAL, _context(request, postmortem))
        return reswap(retarget(response, "#factors"), "outerHTML")
    return back_to(postmortem, "factors")


def _form_page(request, postmortem, form, factor=None):
    context = {"postmortem": postmortem, "form": form, "factor": factor}
    if request.htmx:
        response = render(request, FORM_PARTIAL, context)
        if form.is_bound:
            target = f"#factor-form-{factor.pk if factor else 'new'}"
            response = reswap(retarget(response, target), "outerHTML")
        return response
    heading = _("Edit contributing factor") if factor else _("Add a contributing factor")
    return render(
        request,
        "postmortems/inline_form_page.html",
        {**context, "heading": heading, "partial": FORM_PARTIAL},
        status=400 if form.is_bound else 200,
    )


def _save(form, **kwargs):
    data = form.cleaned_data
    return dict(
        category=data["category"], description=data["description"], themes=form.all_themes, **kwargs
    )


def factor_list(request, pk):
    postmortem = readable_postmortem(request, pk)
    template = PARTIAL if request.htmx else "postmortems/factors.html"
    return render(request, template, _context(request, postmortem))


@require_http_methods(["GET", "POST"])
def factor_add(request, pk):
    postmortem = editable_postmortem(request, pk)
    form = ContributingFactorForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_create(**_save(form, postmortem=postmortem, by=request.user))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _after_write(request, postmortem)
    return _form_page(request, postmortem, form)


@require_http_methods(["GET", "POST"])
def factor_edit(request, pk, factor_id):
    postmortem = editable_postmortem(request, pk)
    factor = get_object_or_404(postmortem.factors.prefetch_related("themes"), pk=factor_id)
    initial = {
        "category": factor.category,
        "description": factor.description,
        "themes": [theme.pk for theme in factor.themes.all()],
    }
    form = ContributingFactorForm(
        request.POST or None, user=request.user, initial=initial, prefix_id=factor.pk
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.factor_update(**_save(form, factor=factor, by=request.user))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _after_write(request, postmortem)
    return _form_page(request, postmortem, form, factor)


@require_http_methods(["GET", "POST"])
def factor_delete(request, pk, factor_id):
    postmortem = editable_postmortem(request, pk)
    factor = get_object_or_404(postmortem.factors, pk=factor_id)
    if request.method == "POST":
        services.factor_delete(factor=factor, by=request.user)
        if not request.htmx:
            messages.success(request, _("The contributing factor was deleted."))
        return _after_write(request, postmortem)
    linked = factor.action_items.count()
    return render(
        request,
        "postmortems/inline_confirm_delete.html",
        {
            "postmortem": postmortem,
            "heading": _("Delete this contributing factor?"),
            "summary": f"{factor.get_category_display()} · {factor.description[:300]}",
            "note": ngettext(
                "Its action item stays on the postmortem, unlinked from the factor.",
                "Its %(count)d action items stay on the postmortem, unlinked from the factor.",
                linked,
            )
            % {"count": linked}
            if linked
            else _("The change is kept in the postmortem's history."),
            "action": request.path,
            "cancel_url": postmortem.get_absolute_url() + "#factors",
        },
    )
