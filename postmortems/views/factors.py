"""Contributing factors: inline add/edit/delete (htmx) with a plain-form fallback.

Factors describe systems and conditions (never "root cause", never a person); themes tag
them for the Kaizen roll-up and can be picked or created by typing a name.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors, services
from ..forms import ContributingFactorForm
from .access import editable_postmortem, readable_postmortem
from .htmx import InlineSection

PARTIAL = "postmortems/partials/_factors.html"
FORM_PARTIAL = "postmortems/partials/_factor_form.html"


FACTORS = InlineSection(
    name="factors",
    partial=PARTIAL,
    rows_name="factors",
    rows=selectors.postmortem_factors,
    form_partial=FORM_PARTIAL,
    item_name="factor",
    form_id="factor-form",
    add_heading=gettext_lazy("Add a contributing factor"),
    edit_heading=gettext_lazy("Edit contributing factor"),
    retarget_blank_forms=False,
    row_anchor="factor",
    row_partial="postmortems/partials/_factor_row.html",
    edit_partial="postmortems/partials/_factor_edit.html",
    tools_partial="postmortems/partials/_factor_tools.html",
)


def _save(form, **kwargs):
    data = form.cleaned_data
    return dict(
        category=data["category"], description=data["description"], themes=form.all_themes, **kwargs
    )


def factor_list(request, pk):
    postmortem = readable_postmortem(request, pk)
    template = PARTIAL if request.htmx else "postmortems/factors.html"
    return render(request, template, FACTORS.context(request, postmortem))


@require_http_methods(["GET", "POST"])
def factor_add(request, pk):
    postmortem = editable_postmortem(request, pk)
    form = ContributingFactorForm(request.POST or None, user=request.user)
    return FACTORS.submit(
        request,
        postmortem,
        form,
        lambda: services.factor_create(**_save(form, postmortem=postmortem, by=request.user)),
    )


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
    if request.method == "GET":
        # htmx: the edit form takes the factor's place (its card is the client's target).
        return FACTORS.edit_form(request, postmortem, form, factor)
    return FACTORS.submit(
        request,
        postmortem,
        form,
        lambda: services.factor_update(**_save(form, factor=factor, by=request.user)),
        factor,
    )


@require_GET
def factor_row(request, pk, factor_id):
    """One factor read-only: what the edit form's Cancel swaps back in (htmx)."""
    postmortem = readable_postmortem(request, pk)
    factor = selectors.postmortem_factor(postmortem, factor_id)
    if factor is None:
        raise Http404
    return FACTORS.row(request, postmortem, factor, factor_alone=[factor])


@require_http_methods(["GET", "POST"])
def factor_delete(request, pk, factor_id):
    postmortem = editable_postmortem(request, pk)
    factor = get_object_or_404(postmortem.factors, pk=factor_id)
    if request.method == "POST":
        services.factor_delete(factor=factor, by=request.user)
        if not request.htmx:
            messages.success(request, _("The contributing factor was deleted."))
        return FACTORS.after_write(request, postmortem)
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
