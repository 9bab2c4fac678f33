"""Iterate every node of a connection, one page at a time, only as far as the caller reads.

``iter_nodes(method, *args, page_size=100, **variables)`` calls a generated ``List…`` method (any method whose
operation takes ``$first``/``$after`` and selects a connection with ``nodes`` and ``pageInfo { hasNextPage
endCursor }``) with ``first=page_size`` and the previous page's ``endCursor`` as ``after``. With an async method
it returns an async iterator, with a sync one an iterator::

    async for item in client.iter_nodes(client.list_items, dataset_id=ds.id, page_size=500):
        ...
    for item in sync_client.iter_nodes(sync_client.list_items, dataset_id=ds.id):
        ...
"""

from __future__ import annotations

import inspect
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from .errors import ErrorDetail, LabelgraphError, NotFoundError

__all__ = ["DEFAULT_PAGE_SIZE", "aiter_nodes", "find_connection", "iter_nodes"]

DEFAULT_PAGE_SIZE = 100


def _is_connection(obj: Any) -> bool:
    return hasattr(obj, "page_info") and (hasattr(obj, "nodes") or hasattr(obj, "edges"))


def _children(obj: Any) -> list[Any]:
    values = getattr(obj, "__dict__", None)
    if not isinstance(values, dict):
        return []
    return [v for k, v in values.items() if not k.startswith("_") and hasattr(v, "__dict__")]


def find_connection(result: Any) -> Any | None:
    """The shallowest object in a result that looks like a connection (``pageInfo`` and ``nodes``/``edges``)."""
    queue = deque([result])
    while queue:
        obj = queue.popleft()
        if obj is None:
            continue
        if _is_connection(obj):
            return obj
        queue.extend(_children(obj))
    return None


def _page(result: Any, method: Callable[..., Any], after: str | None) -> tuple[list[Any], str | None]:
    """The nodes of one page and the cursor of the next one (None at the end)."""
    name = getattr(method, "__name__", "the method")
    if result is None:
        raise NotFoundError([ErrorDetail(
            message=f"{name} found nothing to list: the object whose connection it pages through does not exist",
            code="NOT_FOUND",
        )])
    connection = find_connection(result)
    if connection is None:
        raise LabelgraphError(f"{name} returned no connection (an object with pageInfo and nodes) to page through")
    nodes = connection.nodes if hasattr(connection, "nodes") else [edge.node for edge in connection.edges]
    page_info = connection.page_info
    if not page_info.has_next_page:
        return list(nodes), None
    cursor = getattr(page_info, "end_cursor", None)
    if not cursor or cursor == after:
        raise LabelgraphError(f"{name} says there is a next page but gave no new endCursor to reach it")
    return list(nodes), cursor


async def aiter_nodes(
    method: Callable[..., Any], *args: Any, page_size: int = DEFAULT_PAGE_SIZE, after: str | None = None,
    **variables: Any,
) -> AsyncIterator[Any]:
    """Every node of the connection an async ``List…`` method selects, fetching ``page_size`` at a time."""
    cursor = after
    while True:
        result = await method(*args, first=page_size, after=cursor, **variables)
        nodes, cursor = _page(result, method, cursor)
        for node in nodes:
            yield node
        if cursor is None:
            return


def _iter_nodes_sync(
    method: Callable[..., Any], *args: Any, page_size: int = DEFAULT_PAGE_SIZE, after: str | None = None,
    **variables: Any,
) -> Iterator[Any]:
    cursor = after
    while True:
        result = method(*args, first=page_size, after=cursor, **variables)
        nodes, cursor = _page(result, method, cursor)
        yield from nodes
        if cursor is None:
            return


def iter_nodes(
    method: Callable[..., Any], *args: Any, page_size: int = DEFAULT_PAGE_SIZE, after: str | None = None,
    **variables: Any,
) -> Any:
    """Every node of the connection ``method`` selects, lazily, ``page_size`` per request: an async iterator for
    an async client's method, an iterator for a sync client's. ``args``/``variables`` go to ``method``."""
    if inspect.iscoroutinefunction(method):
        return aiter_nodes(method, *args, page_size=page_size, after=after, **variables)
    return _iter_nodes_sync(method, *args, page_size=page_size, after=after, **variables)
