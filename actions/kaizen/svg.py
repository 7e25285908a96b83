"""Inline SVG sparkline geometry for the Kaizen page (the template draws it)."""

from typing import Any


def sparkline(
    values: list[int], *, width: int = 120, height: int = 28, pad: int = 3
) -> dict[str, Any] | None:
    """Geometry for a server-rendered sparkline: polyline points and one dot per period."""
    if not values:
        return None
    top = max(values) or 1  # a sparkline fills its height: no axis to round to
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    dots = []
    for i, v in enumerate(values):
        x = pad + i * step
        y = height - pad - (height - 2 * pad) * v / top
        dots.append({"x": round(x, 1), "y": round(y, 1), "value": v})
    return {
        "width": width,
        "height": height,
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
    }
