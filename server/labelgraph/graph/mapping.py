"""The declarative map between GraphQL types and tables, one EntityMap per type.

Each slice's types.py declares, next to its strawberry type, which attribute reads which column and which
relation goes through which foreign key. Loaders, the node lookup and (later) the query compiler read these
maps; no resolver writes SQL by hand.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

import sqlalchemy as sa
from strawberry.types.private import is_private

ENTITIES: dict[str, EntityMap] = {}  # GraphQL type name -> map
BY_PREFIX: dict[str, EntityMap] = {}  # id prefix -> map


class Written(list):
    """What a bulk create returns: the ids it wrote, in order (a list of them), and ``rows``, the rows as it
    inserted them (column name → value), so that the payload's objects are built without reading them back
    (``graph/mutations.Field.fill``)."""

    def __init__(self, ids: list[str], rows: list[dict[str, Any]]) -> None:
        super().__init__(ids)
        self.rows = rows


@dataclass(frozen=True)
class ToOne:
    """``field: Target`` through this table's ``fk`` column."""

    target: str
    fk: str


@dataclass(frozen=True)
class ToMany:
    """``field(first, after, filter, orderBy): TargetConnection`` through the target's ``fk`` column.

    ``compiled``: the field is exactly this connection (``first/after/last/before``, optional ``filter`` and
    ``orderBy`` read by ``order_of``), so the query compiler (graph/compiler/) may answer it in SQL. ``filter``
    turns the field's filter input into conditions on the target table: ``filter(input, dialect)``.
    """

    target: str
    fk: str
    filter: Callable[[Any, str], list[sa.ColumnElement]] | None = None
    compiled: bool = False


@dataclass
class EntityMap:
    type_name: str
    prefix: str
    table: sa.Table
    columns: dict[str, str]  # python attribute of the strawberry type -> column name
    relations: dict[str, ToOne | ToMany] = field(default_factory=dict)
    # GraphQL order enum value -> columns (the id tie-break is added automatically)
    orders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default_order: tuple[str, ...] = ("created_at",)
    project_column: str | None = "project_id"
    # attribute -> function applied to the column value when building the object (enums from wire values)
    converters: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    # the query compiler (graph/compiler/) may read this type's column fields, to-one relations and
    # ``compiled`` to-many relations in SQL; any other field of it makes the compiler fall back to resolvers
    compiled: bool = False
    cls: Any = None  # the strawberry type, set by ``register``
    _attrs: tuple[str, ...] = ()
    _plain_init: bool = False
    # JSON attributes that are plain GraphQL fields (no resolver, not Private): a page may leave them unread
    _omittable: frozenset[str] | None = None
    _readers: dict[frozenset[str], _Reader] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._attrs = tuple(self.columns)

    def select_columns(self, table: sa.FromClause | None = None, omit: frozenset[str] = frozenset()) -> list:
        """The mapped columns (of ``table``, an alias, if given), but those of the attributes in ``omit``."""
        t = self.table if table is None else table
        return [t.c[col] for col in self.reader(omit).columns]

    def column(self, attr: str) -> sa.Column:
        return self.table.c[self.columns.get(attr, attr)]

    def build(self, row: Sequence[Any], offset: int = 0) -> Any:
        """A strawberry object from a row whose columns follow ``select_columns`` (after ``offset`` extras)."""
        return self.build_all((row,), offset)[0]

    def build_all(self, rows: Sequence[Sequence[Any]], offset: int = 0, omit: frozenset[str] = frozenset()
                  ) -> list[Any]:
        """``build`` for many rows at once (of ``select_columns(omit=omit)``): per row a dict of the attributes,
        the enum conversions (a dict lookup on the wire value) and a ``__new__``.

        The objects are made without the dataclass ``__init__`` (``cls.__new__`` and the attribute dict) when
        ``register`` found that ``__init__`` would only assign the mapped attributes (no other init fields, no
        ``__post_init__``); otherwise through ``__init__``. SQLite hands back naive datetimes (UTC is added);
        PostgreSQL aware ones, so a datetime column whose first value in the batch is aware is left as it is.
        The attributes in ``omit`` are not set at all (only a page whose selection does not read them omits
        them, see ``omittable``)."""
        if not rows:
            return []
        reader = self.reader(omit)
        attrs, converted, cls = reader.attrs, reader.converted, self.cls
        if len(rows[0]) - offset != len(attrs):
            raise ValueError(f"{self.type_name}: rows of {len(rows[0]) - offset} columns for {len(attrs)} attributes")
        naive = reader.naive_datetimes(rows, offset)
        fast, new = self._plain_init, object.__new__
        out = []
        append = out.append
        for row in rows:
            values = dict(zip(attrs, row[offset:] if offset else row, strict=False))  # widths checked above
            for a in naive:
                v = values[a]
                if v is not None and v.tzinfo is None:
                    values[a] = v.replace(tzinfo=UTC)
            for a, by_value, fn in converted:
                v = values[a]
                if v is not None:
                    if by_value is None:
                        values[a] = fn(v)
                    else:
                        try:
                            values[a] = by_value[v]
                        except (KeyError, TypeError):  # not a wire value: whatever the converter does with it
                            values[a] = fn(v)
            if fast:
                obj = new(cls)
                obj.__dict__ = values
            else:
                obj = cls(**values)
            append(obj)
        return out

    def build_written(self, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """``build_all`` from the rows a write just inserted (column name → value as sent; a column it left out
        was written null): the objects a read of them would give, without the read."""
        columns = self.reader().columns
        return self.build_all([tuple(map(r.get, columns)) for r in rows])

    def omittable(self, attrs: frozenset[str]) -> frozenset[str]:
        """Of the JSON attributes, those a page may leave unread when only the GraphQL fields of ``attrs``
        (python names, all plain fields) are selected on its objects."""
        return self._omittable_attrs() - attrs if self._plain_init else frozenset()

    def reader(self, omit: frozenset[str] = frozenset()) -> _Reader:
        found = self._readers.get(omit)
        if found is None:
            if omit and omit - self._omittable_attrs():
                raise ValueError(f"{self.type_name}: cannot omit {sorted(omit - self._omittable_attrs())}")
            attrs = tuple(a for a in self._attrs if a not in omit)
            found = self._readers[omit] = _Reader(
                attrs=attrs,
                columns=tuple(self.columns[a] for a in attrs),
                datetime_positions=tuple(
                    i for i, a in enumerate(attrs) if isinstance(self.table.c[self.columns[a]].type, sa.DateTime)
                ),
                converted=tuple((a, _value_map(fn), fn) for a, fn in self.converters.items() if a in attrs),
            )
        return found

    def bind(self, cls: type) -> None:
        self.cls = cls
        init_fields = (
            {f.name for f in dataclasses.fields(cls) if f.init} if dataclasses.is_dataclass(cls) else None
        )
        self._plain_init = (
            init_fields == set(self._attrs)
            and not hasattr(cls, "__post_init__")
            and "__slots__" not in cls.__dict__
            and cls.__new__ is object.__new__
        )
        self._omittable = None  # computed on first use, when every type's annotations resolve

    def _omittable_attrs(self) -> frozenset[str]:
        if self._omittable is None:
            definition = getattr(self.cls, "__strawberry_definition__", None)
            plain_fields = {
                f.python_name for f in (definition.fields if definition is not None else ())
                if f.base_resolver is None and not f.extensions and not is_private(f.type)
            }
            self._omittable = frozenset(
                a for a, col in self.columns.items()
                if a in plain_fields and isinstance(self.table.c[col].type, sa.JSON)
            )
        return self._omittable


@dataclass(frozen=True)
class _Reader:
    """How to read one subset of an entity's attributes: their columns, where the datetimes and enums are."""

    attrs: tuple[str, ...]
    columns: tuple[str, ...]
    datetime_positions: tuple[int, ...]
    converted: tuple[tuple[str, dict[Any, Any] | None, Callable[[Any], Any]], ...]

    def naive_datetimes(self, rows: Sequence[Sequence[Any]], offset: int) -> list[str]:
        """The datetime attributes that may hold naive values in ``rows`` (their first non-null value is)."""
        out = []
        for i in self.datetime_positions:
            for row in rows:
                v = row[offset + i]
                if v is not None:
                    if v.tzinfo is None:
                        out.append(self.attrs[i])
                    break
        return out


def _value_map(fn: Callable[[Any], Any]) -> dict[Any, Any] | None:
    """An Enum converter as a dict from wire value to member (``Enum(value)`` does the same, slower)."""
    if isinstance(fn, type) and issubclass(fn, enum.Enum):
        return dict(fn._value2member_map_)
    return None


def register(emap: EntityMap) -> Callable[[type], type]:
    """Class decorator binding a strawberry type to its EntityMap."""

    def wrap(cls: type) -> type:
        emap.bind(cls)
        ENTITIES[emap.type_name] = emap
        BY_PREFIX[emap.prefix] = emap
        cls.__entity_map__ = emap
        return cls

    return wrap
