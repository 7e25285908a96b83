"""A service's refusal shown on the form that asked for it."""

from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError):
    """A service's ValidationError (a size cap, a full_clean) on the form, beside its field
    when the form has one, so the page shows it with what was typed."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
