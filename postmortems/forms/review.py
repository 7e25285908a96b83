"""Review comments and blame acknowledgements."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..fields import (
    IdField,
)
from ..models import (
    ReviewComment,
)


class ReviewCommentForm(forms.ModelForm):
    anchor = forms.CharField(widget=forms.HiddenInput, required=False, initial="general")
    parent = IdField(widget=forms.HiddenInput)

    class Meta:
        model = ReviewComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("Comment (Markdown)")}
        error_messages = {"body": {"required": _("Write something first.")}}

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something first."))
        if len(body) > settings.COMMENT_MAX_CHARS:
            raise forms.ValidationError(
                _("Keep comments under %(limit)s characters.")
                % {"limit": f"{settings.COMMENT_MAX_CHARS:,}"}
            )
        return body


class BlameAcknowledgementForm(forms.Form):
    """Keep one flagged phrase, with a reason; the finding is named by hidden fields."""

    location = forms.CharField(max_length=40, widget=forms.HiddenInput)
    rule = forms.CharField(max_length=40, widget=forms.HiddenInput)
    phrase = forms.CharField(max_length=200, strip=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why does this phrase stay?"),
        max_length=300,
        help_text=_("For example: “direct quote from the incident channel”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
