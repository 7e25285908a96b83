"""The blameless-language hints fragment (``postmortems:lint``) written as HTML in Python.

The live hints answer every pause in typing, with the whole text highlighted and one list
item per finding; printed through template tags (a ``{% for %}`` per piece of text and per
finding) that was as long as the check itself on a 10 kB text. The markup is the one
``partials/_blame_hints.html`` printed (a test renders that template beside this), every
value escaped as ``{{ }}`` escapes it, the labels translated once per fragment.
"""

from collections.abc import Sequence
from typing import Any

from django.template.defaultfilters import slugify
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from .page_rows import esc


def hints_html(
    *,
    field: str,
    findings: Sequence[tuple[int, Any, Any, str]] = (),
    pieces: Sequence[tuple[str, int | None]] = (),
    postmortem: Any = None,
    location: str = "",
    error: str = "",
) -> SafeString:
    """The fragment: ``findings`` as (number, Finding, rule title, sentence), ``pieces`` of
    the text as (text, finding number or None), ``error`` instead of hints, ``postmortem``
    when the reader may dismiss hints (a "Not blame" control under each) at ``location``."""
    guide_url = reverse("postmortems:blameless_guide")
    data_field = f' data-field="{esc(field)}"' if field else ""
    out = [
        f'\n<div class="blame-hints small" aria-live="polite" data-count="{len(findings)}"'
        f"{data_field}>\n  "
    ]
    if error:
        out.append(f'\n  <p class="text-danger mb-0" role="alert">{esc(error)}</p>\n  ')
    elif not findings:
        none_found = esc(gettext("No blaming language found."))
        out.append(f'\n  <p class="text-success mb-0">{none_found}</p>\n  ')
    else:
        count = len(findings)
        summary = ngettext(
            "%(counter)s phrase may read as blame.", "%(counter)s phrases may read as blame.", count
        ) % {"counter": count}
        guide = esc(gettext("Writing blamelessly"))
        out.append(
            f'\n  <p class="mb-1">\n    <strong>{esc(summary)}</strong>\n'
            f'    <a href="{esc(guide_url)}">{guide}</a>\n  </p>\n'
            '  <div class="blame-hints-text border rounded p-2 mb-2 bg-body-tertiary '
            'overflow-auto">'
        )
        out.append(_text_html(pieces))
        out.append('</div>\n  <ol class="blame-hints-list mb-0 ps-3">\n    ')
        out.append(_items_html(findings, guide_url, postmortem, location, field))
        out.append("\n  </ol>\n  ")
    out.append("\n</div>\n")
    return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped


def _text_html(pieces):
    out = []
    for piece, number in pieces:
        text = esc(piece)
        if number:
            out.append(f'<mark title="{text}">{text}<sup aria-hidden="true">{number}</sup></mark>')
        else:
            out.append(text)
    return "".join(out)


def _items_html(findings, guide_url, postmortem, location, field):
    try_label = esc(gettext("Try:"))
    why_label = esc(gettext("Why and how"))
    guide = esc(guide_url)
    if postmortem is not None:
        dismiss_url = esc(reverse("postmortems:blame_dismiss", args=[postmortem.pk]))
        reason_label = esc(gettext("Why is it not blame? (optional)"))
        reason_placeholder = esc(gettext("Reason (optional)"))
        not_blame = esc(gettext("Not blame"))
        field_slug = esc(slugify(field))
        place = esc(location)
    out = []
    for number, finding, title, sentence in findings:
        rule, phrase, title = esc(finding.rule), esc(finding.phrase), esc(title)
        out.append(
            f'\n    <li value="{number}" data-rule="{rule}">\n'
            f"      <mark>{phrase}</mark> — <strong>{title}</strong>.\n"
            f"      {esc(finding.message)}\n"
            f'      <br><span class="text-body-secondary">{try_label} '
            f"{esc(finding.suggestion)}</span>\n"
            f'      <a href="{guide}#rule-{rule}">{why_label}<span class="visually-hidden"> '
            f"({title})</span></a>\n      "
        )
        if postmortem is not None and sentence:
            reason_id = f"dismiss-reason-{field_slug}-{number}"
            out.append(
                "\n      \n      \n      "
                '<div class="blame-dismiss d-flex flex-wrap gap-1 align-items-center mt-1">\n'
                '        <input type="hidden" form="blame-dismiss-none" name="rule" '
                f'value="{rule}">\n'
                '        <input type="hidden" form="blame-dismiss-none" name="phrase" '
                f'value="{phrase}">\n'
                '        <input type="hidden" form="blame-dismiss-none" name="sentence" '
                f'value="{esc(sentence)}">\n'
                '        <input type="hidden" form="blame-dismiss-none" name="location" '
                f'value="{place}">\n'
                f'        <label class="visually-hidden" for="{reason_id}">{reason_label}'
                "</label>\n"
                '        <input type="text" form="blame-dismiss-none" name="reason" '
                f'id="{reason_id}" maxlength="300" autocomplete="off"\n'
                '               class="form-control form-control-sm w-auto" '
                f'placeholder="{reason_placeholder}">\n'
                '        <button type="button" class="btn btn-sm btn-outline-secondary"\n'
                f'                hx-post="{dismiss_url}" hx-include="closest .blame-dismiss"\n'
                '                hx-target="closest li" hx-swap="outerHTML">'
                f'{not_blame}<span class="visually-hidden"> ({phrase})</span></button>\n'
                "      </div>\n      "
            )
        out.append("\n    </li>\n    ")
    return "".join(out)
