"""A queryset of a fixed shape, compiled to SQL once per database connection.

Every online submission runs the same handful of queries with different values (the
dossier's row lock with its procedure, agency and owner; the component of an upload; the
components still missing). Profiled, the ORM's compiling of those querysets — resolving
lookups, choosing columns, building joins — cost more of the server's time than PostgreSQL
took to answer them. ``Reusable`` compiles the queryset once with stand-in values, finds the
stand-ins among the statement's parameters, and from then on sends the same statement with
the new values, building the model instances (``select_related`` included) exactly as the
queryset would.

It is only for querysets whose SQL does not depend on the values: the builder must produce
the same statement for every value (no ``None`` that turns ``=`` into ``IS NULL``, no list
whose length changes the ``IN``). Each stand-in must appear among the parameters as it is
given (ints, strings; dates and UUIDs as the backend adapts them); when one cannot be found the
queryset simply runs the ordinary way, every time.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
import weakref
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators


class Reusable:
    def __init__(self, build: Callable[..., QuerySet], *stand_ins):
        self._build = build
        self._stand_ins = stand_ins
        # Per connection (so per thread): a compiler holds its connection.
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, *values) -> list[Model]:
        connection = connections[DEFAULT_DB_ALIAS]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compile(connection)
            with self._lock:
                self._compiled[connection] = compiled
        if compiled is False:
            return list(self._build(*values))
        return compiled.run(connection, values)

    def _compile(self, connection):
        queryset = self._build(*self._stand_ins)
        if queryset.db != DEFAULT_DB_ALIAS or queryset._iterable_class is not ModelIterable:
            return False
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = []
        for stand_in in self._stand_ins:
            adapt = _adapter(connection, stand_in)
            found = [i for i, p in enumerate(params) if p == adapt(stand_in)]
            if not found or type(stand_in) not in (int, str, dt.date, uuid.UUID):
                return False
            slots.append((found, adapt))
        # No stand-in may equal another parameter by chance: then its slots are ambiguous.
        taken = [i for positions, _ in slots for i in positions]
        if len(taken) != len(set(taken)):
            return False
        return _Compiled(compiler, sql, list(params), slots, queryset.db)


def _adapter(connection, value):
    if type(value) is dt.date:
        return connection.ops.adapt_datefield_value
    if type(value) is uuid.UUID and not connection.features.has_native_uuid_field:
        return lambda v: v.hex  # as UUIDField stores it there
    return lambda v: v


class _Compiled:
    """What ``ModelIterable`` works out from a compiler, kept."""

    def __init__(self, compiler, sql, params, slots, db):
        self.compiler, self.sql, self.params, self.slots, self.db = (
            compiler,
            sql,
            params,
            slots,
            db,
        )
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, db)
        self.annotations = dict(compiler.annotation_col_map or {})
        self.width = compiler.col_count
        # What ``results_iter`` would work out on every call (a look at every selected
        # column's field and the backend's converters: most of a wide row's reading time).
        self.converters = compiler.get_converters([column[0] for column in select[0 : self.width]])

    def run(self, connection, values) -> list[Model]:
        params = list(self.params)
        for (positions, adapt), value in zip(self.slots, values, strict=True):
            for i in positions:
                params[i] = adapt(value)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = [row[: self.width] for row in cursor.fetchall()]
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        found = []
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found
