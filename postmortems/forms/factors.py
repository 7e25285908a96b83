"""Contributing factors with their themes (picked, or typed as new names)."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ..fields import (
    IdModelMultipleChoiceField,
)
from ..models import (
    ContributingFactor,
    Theme,
)
from ..selectors.visibility import visible_themes
from ..services.themes import theme_slug_base


def _split_theme_names(value):
    names, seen = [], set()
    for raw in (value or "").replace("\n", ",").split(","):
        name = " ".join(raw.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


class ContributingFactorForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=ContributingFactor.Category.choices)
    description = forms.CharField(
        label=_("Description (Markdown)"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4, "data-lint": "factor"}),
        help_text=_(
            "Describe the system or condition that made the incident possible or worse "
            "(an alert that did not fire, a default, a missing check), not a person: "
            "anyone in the same situation could have done the same, and only changing "
            "the conditions prevents a repeat."
        ),
    )
    themes = IdModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    new_themes = forms.CharField(
        label=_("New themes"),
        required=False,
        max_length=500,
        help_text=_("Type names separated by commas; a name that already exists is reused."),
    )

    def __init__(self, *args, user, prefix_id="new", **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = f"id_factor_{prefix_id}_%s"
        if prefix_id != "new":
            # The place a "Not blame" on this factor's hints is remembered for.
            self.fields["description"].widget.attrs["data-lint-location"] = f"factor:{prefix_id}"
        # A theme typed only on a restricted postmortem is no choice for its outsiders.
        self.fields["themes"].queryset = visible_themes(user).order_by("name")
        self.fields["description"].max_length = settings.FACTOR_MAX_CHARS
        self.fields["description"].validators.append(MaxLengthValidator(settings.FACTOR_MAX_CHARS))

    def clean_new_themes(self):
        names = _split_theme_names(self.cleaned_data["new_themes"])
        for name in names:
            if len(name) > 100:
                raise forms.ValidationError(_("Keep theme names under 100 characters."))
            if not theme_slug_base(name):
                raise forms.ValidationError(
                    _("“%(name)s” cannot be used as a theme name.") % {"name": name}
                )
        return names

    @property
    def all_themes(self):
        """Picked Theme objects followed by typed names, as ``factor_create`` takes them."""
        return [*self.cleaned_data.get("themes", []), *self.cleaned_data.get("new_themes", [])]
