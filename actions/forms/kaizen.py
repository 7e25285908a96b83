"""Kaizen themes and review notes."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from postmortems.fields import (
    BoundedDateField,
    IdModelChoiceField,
    IdModelMultipleChoiceField,
)
from postmortems.models import Team, Theme
from postmortems.selectors import visible_themes

from ..models import ActionItem


def _has_hangul(word):
    return any("\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e" for ch in word)


class ThemeForm(forms.Form):
    """Name, description and suggestion keywords (English and Korean kept apart for editing,
    stored together in ``Theme.keywords``)."""

    name = forms.CharField(label=_("Name"), max_length=100)
    keywords_en = forms.CharField(
        label=_("Keywords (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Comma-separated words that suggest this theme, e.g. alert, pager, noisy."),
    )
    keywords_ko = forms.CharField(
        label=_("Keywords (Korean)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "lang": "ko"}),
        help_text=_("Comma-separated, e.g. 알림, 경보."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, theme=None, **kwargs):
        self.theme = theme
        if theme is not None and "initial" not in kwargs:
            words = theme.keyword_list
            kwargs["initial"] = {
                "name": theme.name,
                "keywords_en": ", ".join(w for w in words if not _has_hangul(w)),
                "keywords_ko": ", ".join(w for w in words if _has_hangul(w)),
                "description": theme.description,
            }
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Theme.objects.filter(name__iexact=name)
        if self.theme is not None:
            clash = clash.exclude(pk=self.theme.pk)
        if clash.exists():
            raise forms.ValidationError(_("A theme with this name exists already."))
        return name

    @staticmethod
    def _words(value):
        return [w.strip() for w in value.replace("\n", ",").split(",") if w.strip()]

    def keywords(self):
        """The keywords to store: English line, then Korean line."""
        en = ", ".join(self._words(self.cleaned_data.get("keywords_en", "")))
        ko = ", ".join(self._words(self.cleaned_data.get("keywords_ko", "")))
        return "\n".join(part for part in (en, ko) if part)


class ThemeMergeForm(forms.Form):
    source = IdModelChoiceField(
        label=_("Merge this theme"),
        queryset=Theme.objects.none(),
        help_text=_("It is deleted after the merge."),
    )
    target = IdModelChoiceField(label=_("into this theme"), queryset=Theme.objects.none())
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = visible_themes(user)
        self.fields["target"].queryset = visible_themes(user)

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("source") == data.get("target"):
            raise forms.ValidationError(_("Pick two different themes."))
        return data


class KaizenReviewForm(forms.Form):
    team = IdModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    period_start = BoundedDateField(
        label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = BoundedDateField(
        label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    notes = forms.CharField(
        label=_("What we chose to improve"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Themes discussed, decisions, owners."),
    )
    action_items = IdModelMultipleChoiceField(
        label=_("Linked action items"),
        queryset=ActionItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Open action items of the team that came out of the review."),
    )

    def __init__(self, *args, teams, action_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["action_items"].queryset = action_items
        limit = settings.KAIZEN_REVIEW_NOTES_MAX_CHARS
        self.fields["notes"].max_length = limit
        self.fields["notes"].validators.append(MaxLengthValidator(limit))
        self.fields["notes"].widget.attrs["maxlength"] = limit

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        team = data.get("team")
        items = data.get("action_items") or []
        if team and any(item.team_id != team.pk for item in items):
            self.add_error(
                "action_items",
                _("Link only action items owned by %(team)s.") % {"team": team.name},
            )
        return data
