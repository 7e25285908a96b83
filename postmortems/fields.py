"""Form fields every filter and form uses for ids and dates, so that no query string or
posted value can reach the database or date arithmetic in a shape that fails there."""

import re

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .bounds import MAX_PK, date_bounds_error
from .escaping import esc

# ASCII digits only: "²".isdigit() is true, and int("١٢") parses Arabic-Indic digits.
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value):
    """An int for a plausible primary key (ASCII digits, 1..2**63-1), else ``None``."""
    value = str(value).strip()
    if not _ID.fullmatch(value):
        return None
    number = int(value)
    return number if 0 < number <= MAX_PK else None


def _attrs(attrs):
    """Attributes as Django's ``attrs.html`` writes them: in order, ``True`` as a bare
    name, ``False`` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class CompactSelect(forms.Select):
    """A ``<select>`` written out in Python: the same markup as Django's template, without
    its two template includes per option nor the option dictionaries ``optgroups`` builds
    (a team filter has one option per team, and a list page renders it on every request)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        values = set(self.format_value(value))
        # As ``optgroups``: one option selected at most, unless several may be.
        has_selected = False
        parts = []
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            options = []
            for subvalue, sublabel in option_label if grouped else ((option_value, option_label),):
                subvalue = str(subvalue)
                selected = (not has_selected or self.allow_multiple_selected) and (
                    subvalue in values
                )
                has_selected |= selected
                options.append(
                    f'<option value="{esc(subvalue)}"{" selected" if selected else ""}>'
                    f"{esc(sublabel)}</option>"
                )
            if grouped:
                parts.append(f'<optgroup label="{esc(option_value)}">{"".join(options)}</optgroup>')
            else:
                parts.append(options[0])
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attrs(attrs),
            mark_safe("".join(parts)),  # noqa: S308 -- each value escaped by esc
        )


class NamedChoiceIterator(forms.models.ModelChoiceIterator):
    """(pk, name) pairs read as two columns rather than as model instances: the labels
    of a field whose model's ``__str__`` is its ``name`` (a team filter lists every team)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class IdField(forms.IntegerField):
    """A primary key in a query string or form: anything else is a field error."""

    default_error_messages = {"invalid": _("Not a valid id.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = parse_id(value)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdModelChoiceField(forms.ModelChoiceField):
    """A model choice that refuses ids no row can have before querying."""

    def to_python(self, value):
        if value not in self.empty_values and parse_id(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class NamedModelChoiceField(IdModelChoiceField):
    """An ``IdModelChoiceField`` over a model whose label is its ``name`` column."""

    iterator = NamedChoiceIterator


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several model choices; an id no row can have is refused before querying."""

    def _check_values(self, value):
        try:
            values = list(value)
        except TypeError:
            values = []
        for one in values:
            if parse_id(one) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(one)[:30]},
                )
        return super()._check_values(value)


class BoundedDateField(forms.DateField):
    """A date inside ``bounds.EARLIEST_DATE..LATEST_DATE``."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and (message := date_bounds_error(day)):
            raise forms.ValidationError(message, code="date_out_of_range")
        return day


class BoundedDateTimeMixin:
    """For datetime fields: a date outside the window is refused before the time zone
    conversion that would overflow."""

    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if moment is not None and (message := date_bounds_error(moment.date())):
            raise forms.ValidationError(message, code="date_out_of_range")
        return moment


class BoundedDateTimeField(BoundedDateTimeMixin, forms.DateTimeField):
    pass
