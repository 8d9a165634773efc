"""A few hot reads as SQL written once, with the ORM's own column types.

Building a queryset and compiling it to SQL costs ~0.7 ms each time, most of an API read that
the database answers in 0.05 ms (profile in docs/operations.md, "Speed"). The two queries every
API read makes (the bearer token and the spool asked for) are therefore written out here once:
the column list comes from the models' fields, and each value goes through the converters the
ORM would apply (decimals, dates, booleans on SQLite), so what comes back is what the ORM gives.

Keep this for reads that run on every request; everything else reads through the ORM.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

Converter = Callable[[Any, Any, BaseDatabaseWrapper], Any]


class Columns:
    """Fields read from a table alias: `Columns("s", Spool, ["id", "remaining_grams"])`.

    `sql` is the select list (`"s"."id", "s"."remaining_grams"`); `convert(values)` turns the
    database's values into the Python values the ORM would give."""

    def __init__(self, alias: str, model: type[models.Model], names: Sequence[str] | None = None):
        meta = model._meta
        self.model = model
        self.fields: list[models.Field[Any, Any]] = (
            [meta.get_field(name) for name in names]  # type: ignore[misc]
            if names is not None
            else list(meta.concrete_fields)
        )
        self.attnames = [field.attname for field in self.fields]
        self.sql = ", ".join(f'"{alias}"."{field.column}"' for field in self.fields)
        # Per connection: the backend's converters are bound to its connection (its timezone).
        self._converters: weakref.WeakKeyDictionary[Any, list[list[tuple[Converter, Any]]]] = (
            weakref.WeakKeyDictionary()
        )

    def __len__(self) -> int:
        return len(self.fields)

    def convert(self, values: Sequence[Any], using: str = "default") -> list[Any]:
        connection = connections[using]
        per_field = self._converters.get(connection)
        if per_field is None:
            per_field = []
            for field in self.fields:
                col = field.get_col(field.model._meta.db_table)
                converters = connection.ops.get_db_converters(col)
                # django-stubs 5.2.9 leaves Field.get_db_converters out (Django defines it in
                # db/models/fields/__init__.py); the Col's would add a foreign key's target's.
                converters += field.get_db_converters(connection)  # type: ignore[attr-defined]
                per_field.append([(converter, col) for converter in converters])
            self._converters[connection] = per_field
        out = []
        for value, converters in zip(values, per_field, strict=True):
            for converter, col in converters:
                value = converter(value, col, connection)
            out.append(value)
        return out

    def instance(self, values: Sequence[Any], using: str = "default") -> Any:
        """A model instance, as if loaded by the ORM (fields not read are deferred)."""
        return self.model.from_db(using, self.attnames, self.convert(values, using))


def fetch(sql: str, params: Sequence[Any], using: str = "default") -> list[tuple[Any, ...]]:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
