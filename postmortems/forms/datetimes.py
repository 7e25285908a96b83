"""The one way a date and time is typed: a single text box, "2026-11-20 14:03"."""

from django import forms

DATETIME_TEXT_FORMAT = "%Y-%m-%d %H:%M"
# What a date-time box accepts: with a space or a "T", with or without seconds.
DATETIME_TEXT_INPUT_FORMATS = [
    DATETIME_TEXT_FORMAT,
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]


class DateTimeTextInput(forms.DateTimeInput):
    """One text box for a date and time ("2026-11-20 14:03"), in the user's zone.

    Chromium's ``datetime-local`` makes every segment (month, day, year, hour, minute,
    AM/PM) a Tab stop of its own: six or seven per field, and a keyboard user crosses every
    one on the way to the next field. One box is one Tab stop, takes a pasted time as it is
    and reads the same in every locale."""

    input_type = "text"

    def __init__(self, attrs=None, format=DATETIME_TEXT_FORMAT):
        attrs = {
            "placeholder": "2026-11-20 14:03",
            "autocomplete": "off",
            "spellcheck": "false",
            "pattern": r"\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(:\d{2})?",
            "class": "font-monospace",
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format=format)
