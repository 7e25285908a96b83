"""The htmx pattern of the inline sections (timeline, contributing factors).

After a write htmx gets the whole section again and a plain form post is redirected back
to the section; an inline form with errors replaces itself (htmx) or gets a page of its
own (no JavaScript). ``InlineSection`` holds what differs between the sections.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django_htmx.http import reswap, retarget

from ..permissions import can_edit_postmortem
from .errors import add_service_errors


@dataclass(frozen=True)
class InlineSection:
    name: str  # the section's element id and the page's anchor: "timeline", "factors"
    partial: str  # the whole section
    rows_name: str  # the section's list in its context
    rows: Callable[[Any], list[Any]]  # the selector that reads the list
    form_partial: str  # one inline form
    item_name: str  # the form partial's name for the row it edits: "event", "factor"
    form_id: str  # inline forms are "#<form_id>-<pk or new>"
    add_heading: str | Promise
    edit_heading: str | Promise
    retarget_blank_forms: bool = True  # a blank form asked for by htmx replaces itself too
    row_anchor: str = ""  # rows are "#<row_anchor>-<pk>" on the page: "timeline-event"
    row_partial: str = ""  # one row read-only, alone (what an edit form's Cancel swaps back)
    edit_partial: str = ""  # a row being edited, in place of its read-only markup (htmx)
    tools_partial: str = ""  # what else an edited row offers (pin, delete), under its form

    def context(self, request, postmortem, *, editing=False, **extra):
        """The section's context; ``editing`` (only for those who may edit) gives each row
        its Edit link."""
        can_edit = can_edit_postmortem(request.user, postmortem)
        return {
            "postmortem": postmortem,
            self.rows_name: self.rows(postmortem),
            "can_edit": can_edit,
            "editing": editing and can_edit,
            **extra,
        }

    def after_write(self, request, postmortem, *, editing=True, **extra):
        """htmx: the whole section again (what a change shows may move); else redirect.
        After a row was changed the rows keep their Edit links (``editing``)."""
        if request.htmx:
            context = self.context(request, postmortem, editing=editing, **extra)
            response = render(request, self.partial, context)
            return reswap(retarget(response, f"#{self.name}"), "outerHTML")
        return back_to(postmortem, self.name)

    def submit(self, request, postmortem, form, write, item=None):
        """A valid posted form runs ``write()`` (one service call): then the section
        again, or the form with the service's errors. Anything else: the form."""
        if request.method == "POST" and form.is_valid():
            try:
                write()
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # After an add the section keeps a blank add form open for the next row.
                adding = item is None
                return self.after_write(
                    request, postmortem, editing=not adding, show_add_form=adding
                )
        return self.inline_form(request, postmortem, form, item)

    def form_context(self, postmortem, form, item=None):
        return {"postmortem": postmortem, "form": form, self.item_name: item}

    def row(self, request, postmortem, item, **extra):
        """One row read-only (htmx: an edit form's Cancel); without htmx, the row on the
        postmortem's page."""
        if not request.htmx:
            return back_to(postmortem, f"{self.row_anchor}-{item.pk}")
        context = {
            "postmortem": postmortem,
            self.item_name: item,
            "can_edit": can_edit_postmortem(request.user, postmortem),
            **extra,
        }
        return render(request, self.row_partial, context)

    def edit_form(self, request, postmortem, form, item):
        """The edit form asked for by htmx, in place of the row (the client's target is the
        row); without htmx the form's own page."""
        if request.htmx and self.edit_partial:
            autofocus_first(form)
            return render(request, self.edit_partial, self.form_context(postmortem, form, item))
        return self.inline_form(request, postmortem, form, item)

    def inline_form(self, request, postmortem, form, item=None):
        """A new form, or one with its errors: htmx swaps it in (200, input kept); without
        htmx it is a page of its own (400 when the posted form has errors). The first field
        with an error (or the first field) has ``autofocus``: htmx moves the focus there."""
        autofocus_first(form)
        context = self.form_context(postmortem, form, item)
        if request.htmx:
            response = render(request, self.form_partial, context)
            if form.is_bound or self.retarget_blank_forms:
                target = f"#{self.form_id}-{item.pk if item else 'new'}"
                response = reswap(retarget(response, target), "outerHTML")
            return response
        return render(
            request,
            "postmortems/inline_form_page.html",
            {
                **context,
                "heading": self.edit_heading if item else self.add_heading,
                "partial": self.form_partial,
                "tools": self.tools_partial if item else "",
            },
            status=400 if form.is_bound else 200,
        )


def autofocus_first(form):
    """Mark the first visible field with an error, or else the first visible field, with
    ``autofocus``: where a keyboard user continues in a form that was just loaded."""
    fields = [field for field in form.visible_fields() if not field.is_hidden]
    if not fields:
        return
    target = next((f for f in fields if f.errors), fields[0])
    for field in fields:
        field.field.widget.attrs.pop("autofocus", None)
    target.field.widget.attrs["autofocus"] = True


def back_to(postmortem, anchor):
    return redirect(postmortem.get_absolute_url() + "#" + anchor)
