"""Render stored Markdown again, for when the renderer or the sanitiser's policy changes.

Pages show the HTML stored on save; this brings every stored copy in line with today's
``markdown.render`` without touching anything else (no history rows, no ``updated_at``).
"""

from django.apps import apps

from .markdown import render


def markdown_models():
    """Every model that stores rendered Markdown (``markdown_fields`` on the model)."""
    return [model for model in apps.get_models() if getattr(model, "markdown_fields", None)]


def render_markdown_fields(instance):
    """Store the rendered HTML of each of the instance's Markdown fields on it (unsaved)."""
    for source, html in getattr(instance, "markdown_fields", ()):
        setattr(instance, html, render(getattr(instance, source)))


def rerender_rows(model, fields, *, batch_size=500):
    """Render ``fields`` ((source, html) pairs) of every row of ``model`` again and store
    the HTML that changed. Works on migration-time models too. Returns (rows, changed)."""
    html_fields = [html for _, html in fields]
    sources = [source for source, _ in fields]
    manager = model._default_manager
    rows = changed = 0
    batch = []
    for row in manager.order_by("pk").only("pk", *sources, *html_fields).iterator(batch_size):
        rows += 1
        dirty = False
        for source, html in fields:
            fresh = render(getattr(row, source))
            if fresh != getattr(row, html):
                setattr(row, html, fresh)
                dirty = True
        if dirty:
            batch.append(row)
            changed += 1
        if len(batch) >= batch_size:
            manager.bulk_update(batch, html_fields)
            batch = []
    if batch:
        manager.bulk_update(batch, html_fields)
    return rows, changed
