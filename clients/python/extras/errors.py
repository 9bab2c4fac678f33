"""What the labelgraph client raises.

* ``GraphQLError`` and its subclasses: the server answered with top-level ``errors``. The class follows the first
  error's ``extensions.code`` (``LimitExceededError`` for ``LIMIT_EXCEEDED`` …); ``.code``, ``.extensions``,
  ``.path`` and ``.errors`` (every error of the response) are there to inspect, ``.data`` holds partial data.
* ``MutationError``: a mutation answered, but its payload's ``errors`` is not empty (nothing was written). It
  carries those ``UserError`` entries (``field``, ``code``, ``message``) so nobody digs through the payload.
  Clients made with ``raise_user_errors=False`` return the payload instead.
* ``TransportError`` (the server could not be reached, even after retries), ``HTTPError`` (a non-2xx answer after
  retries) and ``InvalidResponseError`` (not a GraphQL response).

* ``FunctionError`` (``run_function``: the function failed; ``.error`` is its message, ``.execution`` the
  execution) and ``FunctionTimeoutError`` (also a ``TimeoutError``: it had not ended in time; it goes on).

Everything derives from ``LabelgraphError``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = [
    "BadUserInputError",
    "ErrorDetail",
    "ForbiddenError",
    "FunctionError",
    "FunctionTimeoutError",
    "GraphQLError",
    "HTTPError",
    "InternalServerError",
    "InvalidResponseError",
    "LabelgraphError",
    "LimitExceededError",
    "MutationError",
    "NotFoundError",
    "RateLimitedError",
    "TransportError",
    "UnauthenticatedError",
    "UserError",
]


class LabelgraphError(Exception):
    """Base class of every error the labelgraph client raises."""


class TransportError(LabelgraphError):
    """The request did not get an answer (connection refused or reset, timeout), after ``attempts`` tries."""

    def __init__(self, message: str, *, url: str, attempts: int) -> None:
        super().__init__(message)
        self.url = url
        self.attempts = attempts


class HTTPError(LabelgraphError):
    """The server answered with a non-2xx status (after retrying the retryable ones)."""

    def __init__(self, status_code: int, response: Any, attempts: int = 1) -> None:
        self.status_code = status_code
        self.response = response
        self.attempts = attempts
        try:
            body = response.text[:300]
        except Exception:  # a body we cannot read is not worth another error
            body = ""
        message = f"HTTP {status_code} from {getattr(response, 'url', 'the server')}"
        if attempts > 1:
            message += f" after {attempts} attempts"
        super().__init__(f"{message}: {body}" if body else message)


class InvalidResponseError(LabelgraphError):
    """The answer was not a GraphQL response (not JSON, or neither ``data`` nor ``errors``)."""

    def __init__(self, message: str, response: Any = None) -> None:
        super().__init__(message)
        self.response = response


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of a response's top-level ``errors``."""

    message: str
    code: str | None = None
    path: list[str | int] | None = None
    locations: list[dict[str, int]] | None = None
    extensions: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, error: Mapping[str, Any]) -> ErrorDetail:
        extensions = error.get("extensions") or None
        code = extensions.get("code") if isinstance(extensions, Mapping) else None
        return cls(
            message=str(error.get("message", "")),
            code=code,
            path=error.get("path"),
            locations=error.get("locations"),
            extensions=dict(extensions) if isinstance(extensions, Mapping) else None,
        )


class GraphQLError(LabelgraphError):
    """The server answered with top-level GraphQL ``errors``; subclasses follow ``extensions.code``."""

    codes: ClassVar[tuple[str, ...]] = ()
    _by_code: ClassVar[dict[str, type[GraphQLError]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for code in cls.codes:
            GraphQLError._by_code[code] = cls

    def __init__(self, errors: Sequence[ErrorDetail], data: dict[str, Any] | None = None) -> None:
        self.errors = list(errors)
        self.data = data
        first = self.errors[0] if self.errors else ErrorDetail(message="unknown GraphQL error")
        self.message = first.message
        self.code = first.code
        self.path = first.path
        self.locations = first.locations
        self.extensions = first.extensions or {}
        text = "; ".join(f"{e.message} [{e.code}]" if e.code else e.message for e in self.errors)
        super().__init__(text or self.message)

    @classmethod
    def from_errors(cls, errors: Sequence[Mapping[str, Any]], data: dict[str, Any] | None = None) -> GraphQLError:
        """The exception for a response's ``errors``: its class is chosen by the first error's code."""
        details = [ErrorDetail.from_dict(e) for e in errors if isinstance(e, Mapping)]
        if not details:
            details = [ErrorDetail(message=str(errors))]
        exc_class = cls._by_code.get(details[0].code or "", cls)
        return exc_class(details, data)


class UnauthenticatedError(GraphQLError):
    codes = ("UNAUTHENTICATED",)


class ForbiddenError(GraphQLError):
    codes = ("FORBIDDEN",)


class LimitExceededError(GraphQLError):
    codes = ("LIMIT_EXCEEDED",)


class RateLimitedError(GraphQLError):
    """Still rate limited after the retries (the client waits as long as ``Retry-After`` asks between tries)."""

    codes = ("RATE_LIMITED",)


class BadUserInputError(GraphQLError):
    codes = ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED")


class NotFoundError(GraphQLError, LookupError):
    codes = ("NOT_FOUND",)


class InternalServerError(GraphQLError):
    codes = ("INTERNAL", "INTERNAL_SERVER_ERROR")


@dataclass(frozen=True)
class UserError:
    """One entry of a mutation payload's ``errors``: what was wrong (``code``, ``message``) and where (``field``)."""

    code: str
    message: str
    field: list[str] | None = None

    @classmethod
    def from_dict(cls, error: Mapping[str, Any]) -> UserError:
        field = error.get("field")
        return cls(code=str(error.get("code", "")), message=str(error.get("message", "")),
                   field=list(field) if field is not None else None)

    def __str__(self) -> str:
        where = ".".join(self.field) + ": " if self.field else ""
        return f"{where}{self.message} [{self.code}]"


class MutationError(LabelgraphError):
    """A mutation's payload reported ``errors`` (nothing was written): ``.errors``, ``.code``, ``.codes``."""

    def __init__(self, errors: Sequence[UserError], data: dict[str, Any] | None = None,
                 field_name: str | None = None) -> None:
        self.errors = list(errors)
        self.data = data
        self.field_name = field_name
        self.code = self.errors[0].code if self.errors else None
        self.codes = [e.code for e in self.errors]
        where = f"{field_name}: " if field_name else ""
        super().__init__(where + "; ".join(str(e) for e in self.errors))


def user_errors_in(data: Mapping[str, Any] | None) -> MutationError | None:
    """The ``MutationError`` for the first root field whose payload has ``errors``, if any.

    A payload is recognized by its shape: an object with an ``errors`` list of ``{code, message}`` objects.
    """
    if not isinstance(data, Mapping):
        return None
    for name, value in data.items():
        if not isinstance(value, Mapping):
            continue
        errors = value.get("errors")
        if (
            isinstance(errors, list)
            and errors
            and all(isinstance(e, Mapping) and "code" in e and "message" in e for e in errors)
        ):
            return MutationError([UserError.from_dict(e) for e in errors], dict(data), field_name=name)
    return None


class FunctionError(LabelgraphError):
    """``run_function``: the execution ended without success. ``.error`` is the function's error message (None for
    an execution terminated or aborted), ``.details`` what it added, ``.status`` the status, ``.execution`` the
    execution."""

    def __init__(self, execution: Any) -> None:
        self.execution = execution
        status = getattr(execution, "status", None)
        self.status = str(getattr(status, "value", status))
        error = getattr(execution, "error", None)
        self.error = error.get("message") if isinstance(error, Mapping) else error
        self.details = error.get("details") if isinstance(error, Mapping) else None
        super().__init__(f"execution {getattr(execution, 'id', '?')} ended {self.status}"
                         + (f": {self.error}" if self.error else ""))


class FunctionTimeoutError(LabelgraphError, TimeoutError):
    """``run_function``: the execution had not ended within the timeout. It goes on; ``.execution`` is its state
    then (follow it with ``wait_for_execution``)."""

    def __init__(self, message: str, execution: Any) -> None:
        super().__init__(message)
        self.execution = execution
