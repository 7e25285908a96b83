"""The postmortem list's search, for code that has values rather than a query string."""

from typing import Any

from ..filters import PostmortemFilter
from .visibility import visible_postmortems


def postmortem_search(user: Any, **values: Any) -> Any:
    """Visible postmortems matching ``q``, ``team``, ``severity``, ``status``,
    ``started_from``, ``started_to`` (dates, or aware datetimes for the exact bounds)
    and ``sort`` — the list page's filters (``postmortems.filters``)."""
    return PostmortemFilter.apply(visible_postmortems(user).select_related("team"), values)
