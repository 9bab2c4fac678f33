"""GraphQL side of errors: UserError/ErrorCode types and the error-to-GraphQL translation."""

from __future__ import annotations

import enum

import strawberry
from graphql import GraphQLError

from labelgraph.errors import Problem, Refused


@strawberry.enum
class ErrorCode(enum.Enum):
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    DUPLICATE = "DUPLICATE"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    READ_ONLY = "READ_ONLY"  # a write to a dataset version's rows (versions are frozen)
    TIMEOUT = "TIMEOUT"  # a mutation that waits (executionCreate with wait: true) ran out of time; it was written


@strawberry.type(description="An expected failure of a mutation: what was wrong and what is allowed.")
class UserError:
    field: list[str] | None = strawberry.field(description="Path to the input field at fault")
    code: ErrorCode
    message: str

    @classmethod
    def from_problem(cls, p: Problem) -> UserError:
        return cls(field=p.field, code=ErrorCode(p.code), message=p.message)


def user_errors(problems: list[Problem]) -> list[UserError]:
    return [UserError.from_problem(p) for p in problems]


def refused(code: str, message: str, **extensions) -> GraphQLError:
    """A top-level GraphQL error carrying ``extensions.code``."""
    return GraphQLError(message, extensions={"code": code, **extensions})


def to_graphql_error(exc: Refused) -> GraphQLError:
    return refused(exc.code, str(exc), **exc.extensions)
