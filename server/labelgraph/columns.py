"""Column helpers shared by every slice's models.py (portable across SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def id_field() -> Any:
    return Field(primary_key=True, max_length=40)


def fk(target: str, *, nullable: bool = False, index: bool = False, ondelete: str = "CASCADE") -> Any:
    return Field(
        default=None if nullable else ...,
        foreign_key=target,
        ondelete=ondelete,
        nullable=nullable,
        index=index,
        max_length=40,
    )


def json_field(column: str | None = None, *, nullable: bool = False, default: Any = dict) -> Any:
    """A JSON column (jsonb on PostgreSQL). ``column`` renames it (``metadata`` is reserved by SQLAlchemy)."""
    if column:
        sa_column = sa.Column(column, JSONType, nullable=nullable)
        if nullable:
            return Field(default=None, sa_column=sa_column)
        return Field(default_factory=default, sa_column=sa_column)
    if nullable:
        return Field(default=None, sa_type=JSONType, nullable=True)
    return Field(default_factory=default, sa_type=JSONType, nullable=False)


def created_field() -> Any:
    return Field(default_factory=utcnow, sa_type=Timestamp, nullable=False)


def time_field(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=Timestamp, nullable=nullable)
