"""The per-request context every resolver receives (``info.context``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import strawberry
from aiodataloader import DataLoader

if TYPE_CHECKING:
    from labelgraph.auth import Access
    from labelgraph.db import Database
    from labelgraph.settings import Settings


@dataclass
class Context:
    db: Database
    settings: Settings
    access: Access
    request_id: str
    broker: Any = None
    request: Any = None
    response: Any = None
    connection_params: dict | None = None  # a WebSocket's connection_init payload
    _loaders: dict[Any, DataLoader] = field(default_factory=dict)

    def loader(self, key: Any, factory: Callable[[], DataLoader]) -> DataLoader:
        """The request's loader for ``key``, created on first use (one per relation × arguments)."""
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = factory()
        return found


Info = strawberry.Info[Context, None]
