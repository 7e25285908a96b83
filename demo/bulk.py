"""Bulk writing for scale data: a progress bar, ``auto_now_add`` switched off, and a
fast purge of everything hanging off the scale rows."""

from django.db import models


class Progress:
    """``label [#####.....]  45%  45000/100000`` redrawn in place on one line."""

    WIDTH = 30

    def __init__(self, stdout, label, total):
        self.stdout, self.label, self.total = stdout, label, max(total, 1)
        self.done = 0
        self._draw()

    def advance(self, count):
        self.done = min(self.total, self.done + count)
        self._draw()

    def finish(self):
        self.stdout.write("")

    def _draw(self):
        filled = self.WIDTH * self.done // self.total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stdout.write(
            f"\r{self.label:<14} [{bar}] {100 * self.done // self.total:3d}%  "
            f"{self.done}/{self.total}",
            ending="",
        )
        self.stdout.flush()


class auto_now_add_off:
    """Let bulk_create keep the ``created_at`` values we spread over the past year."""

    def __init__(self, *models_):
        self.fields = [m._meta.get_field("created_at") for m in models_]

    def __enter__(self):
        for field in self.fields:
            field.auto_now_add = False

    def __exit__(self, *exc):
        for field in self.fields:
            field.auto_now_add = True


def purge(queryset):
    """Delete the rows and what cascades from them with plain SQL, children first.

    The ORM's ``delete()`` would load every row and write a history row for each one,
    minutes for 100k items; here each table is one DELETE (or UPDATE for SET_NULL).
    """
    model = queryset.model
    # Hidden relations too: a foreign key declared with ``related_name="+"`` (the stored
    # dashboard counts and metrics figures point at teams that way) still blocks a delete.
    relations = [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and f.is_relation
    ]
    for rel in relations:
        related = rel.related_model
        if rel.many_to_many:
            through = rel.field.remote_field.through
            if through._meta.auto_created:
                column = rel.field.m2m_reverse_field_name()
                _raw_delete(through.objects.filter(**{f"{column}__in": queryset.values("pk")}))
            continue
        if not rel.field.concrete or not rel.field.db_constraint:
            continue  # history tables keep their rows; they have no constraint to break
        if related is model:
            continue  # replies to a deleted comment go in the same statement
        rows = related._base_manager.filter(**{f"{rel.field.name}__in": queryset.values("pk")})
        if rel.on_delete is models.CASCADE:
            purge(rows)
        elif rel.on_delete is models.SET_NULL:
            rows.update(**{rel.field.name: None})
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        if through._meta.auto_created:
            column = field.m2m_field_name()
            _raw_delete(through.objects.filter(**{f"{column}__in": queryset.values("pk")}))
    _raw_delete(queryset)


def _raw_delete(queryset):
    # QuerySet._raw_delete is Django's single-statement delete without collection.
    return queryset._raw_delete(queryset.db)
