"""Errors that services raise without knowing about GraphQL.

* ``Problems`` — expected failures (validation, not found in scope, conflict). Resolvers turn them into the
  payload's ``errors: [UserError!]!`` and nothing is written.
* ``Refused`` — authentication/authorization failures and limits; they become top-level GraphQL errors with
  ``extensions.code``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_PROBLEMS = 50  # a refusal reports at most this many problems


@dataclass
class Problem:
    code: str  # INVALID | NOT_FOUND | DUPLICATE | CONFLICT | FORBIDDEN | LIMIT_EXCEEDED | READ_ONLY
    message: str
    field: list[str] | None = None


class Problems(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, code: str, message: str, field: list[str] | None = None) -> Problems:
        return cls([Problem(code, message, field)])


class Refused(Exception):
    """A top-level error: UNAUTHENTICATED, FORBIDDEN, LIMIT_EXCEEDED, BAD_USER_INPUT …"""

    def __init__(self, code: str, message: str, **extensions) -> None:
        super().__init__(message)
        self.code = code
        self.extensions = extensions


def invalid(message: str, *field: str | int) -> Problems:
    return Problems.one("INVALID", message, [str(f) for f in field] or None)


def not_found(message: str, *field: str | int) -> Problems:
    return Problems.one("NOT_FOUND", message, [str(f) for f in field] or None)


def raise_if(problems: Iterable[Problem | None]) -> None:
    """Refuse with every problem found (``None`` entries are checks that passed), at most MAX_PROBLEMS."""
    found = [p for p in problems if p is not None]
    if found:
        raise Problems(found[:MAX_PROBLEMS])
