"""``esc``: what ``{{ value }}`` writes for a value, for the pages' rows written in Python."""

import html
from typing import Any


def esc(value: Any) -> str:
    """What ``conditional_escape`` writes, without its lazy-string wrapper (thousands of
    calls a page): safe strings as they are, anything else through ``html.escape`` as
    Django's ``escape``; a lazy string is made a string first, as there."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = str(value)
    return str(text.__html__()) if hasattr(text, "__html__") else html.escape(text)
