"""Index kinds the models declare beyond Django's own."""

from django.db import models
from django.db.models.expressions import OrderBy


class NullsLastIndex(models.Index):
    """An index over ``F(...).desc(nulls_last=True)`` expressions, for an ``ORDER BY``
    that puts missing values last. SQLite cannot write ``NULLS LAST`` in an index, and
    needs none: it sorts NULL below every value, so a plain descending index already
    reads them last."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = [
            OrderBy(e.expression, descending=e.descending) if isinstance(e, OrderBy) else e
            for e in self.expressions
        ]
        index = models.Index(*plain, name=self.name, condition=self.condition)
        return index.create_sql(model, schema_editor, using=using, **kwargs)
