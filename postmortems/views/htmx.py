"""The htmx pattern of the inline sections (timeline, factors): after a write, htmx gets
the whole section again; a plain form post is redirected back to the section."""

from django.shortcuts import redirect, render
from django_htmx.http import reswap, retarget


def back_to(postmortem, anchor):
    return redirect(postmortem.get_absolute_url() + "#" + anchor)


def section_or_redirect(request, postmortem, *, template, context, section):
    """htmx: ``template`` rendered in place of ``#<section>``; else back to the page."""
    if request.htmx:
        response = render(request, template, context)
        return reswap(retarget(response, f"#{section}"), "outerHTML")
    return back_to(postmortem, section)


def inline_form(request, form, *, partial, context, target, heading, retarget_unbound=True):
    """An inline form (new, or with its errors). htmx: the form replaces ``target`` (200,
    so htmx swaps it in, input and errors kept); a blank form asked for by htmx replaces
    ``target`` only when ``retarget_unbound``. Without htmx: a page of its own (400 when
    the posted form has errors)."""
    if request.htmx:
        response = render(request, partial, context)
        if form.is_bound or retarget_unbound:
            response = reswap(retarget(response, target), "outerHTML")
        return response
    return render(
        request,
        "postmortems/inline_form_page.html",
        {**context, "heading": heading, "partial": partial},
        status=400 if form.is_bound else 200,
    )
