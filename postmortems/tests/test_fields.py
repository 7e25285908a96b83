import re

import pytest
from django import forms

from postmortems.fields import (
    BoundedDateField,
    BoundedDateTimeField,
    CompactSelect,
    IdField,
    parse_id,
)


@pytest.mark.parametrize("value", ["²", "١٢", "0", "-1", "9" * 30, str(2**63), " ", "1e3"])
def test_a_value_no_primary_key_can_have_is_not_an_id(value):
    assert parse_id(value) is None


def test_the_largest_bigint_is_an_id():
    assert parse_id(str(2**63 - 1)) == 2**63 - 1


def test_an_id_field_refuses_a_unicode_digit_with_a_field_error():
    with pytest.raises(forms.ValidationError):
        IdField().clean("²")


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_date_outside_the_window_is_a_field_error_naming_the_window(value):
    with pytest.raises(forms.ValidationError, match="1970-01-01 and 2199-12-31"):
        BoundedDateField().clean(value)


@pytest.mark.parametrize("value", ["0001-01-01T00:00", "9999-12-31T23:59:59-05:00"])
def test_a_time_outside_the_window_is_refused_before_its_zone_conversion(value, settings):
    settings.TIME_ZONE = "Asia/Seoul"
    with pytest.raises(forms.ValidationError, match="Pick a date between"):
        BoundedDateTimeField().clean(value)


def _between_tags(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "choices, value",
    [
        ([("", "All"), ("a", "Ann & Bob"), ("b", "<b>")], "a"),
        ([("", "All"), ("a", "A")], None),
        ([("Group", [("x", "X"), ("y", "Y")]), ("z", "Z")], "y"),
        ([(1, "One"), (2, "Two")], 2),
    ],
)
def test_compact_select_writes_what_djangos_select_template_writes(choices, value):
    attrs = {"id": "id_team", "class": "form-select"}
    compact = CompactSelect(attrs=attrs, choices=choices).render("team", value)
    django = forms.Select(attrs=attrs, choices=choices).render("team", value)

    assert _between_tags(compact) == _between_tags(django)


@pytest.mark.django_db
@pytest.mark.parametrize("value", [None, "", "picked", "999999"])
def test_the_team_filter_writes_what_a_model_choice_select_writes(value):
    from postmortems.forms.filters import PostmortemFilterForm
    from postmortems.models import Team
    from tests.factories import TeamFactory

    TeamFactory(name="Ops & <Infra>", slug="ops")
    picked = TeamFactory(name="Payments", slug="payments")
    TeamFactory(name='"Search"', slug="search")
    data = {"team": str(picked.pk) if value == "picked" else value} if value is not None else {}
    bound = PostmortemFilterForm(data)["team"]
    django = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="All teams"
    ).widget
    django.choices = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="All teams"
    ).choices
    django.attrs = {"class": "form-select"}

    compact = bound.field.widget.render("team", bound.value(), attrs={"id": "id_team"})
    expected = django.render("team", bound.value(), attrs={"id": "id_team"})

    assert _between_tags(compact) == _between_tags(expected)
    assert compact.count("<option") == 4
