"""Dataset jobs (Commands) in the client: follow a command until it ends, with an optional progress bar.

``wait_for_command`` (async: over the ``commandUpdated`` subscription, polling ``get_command`` when WebSockets
are unavailable; sync: polling) returns the command once it is SUCCESS and raises ``CommandError`` when it ends
FAILED or ABORTED. ``clone_dataset`` starts a clone and, by default, waits for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .errors import LabelgraphError

TERMINAL = frozenset({"SUCCESS", "FAILED", "ABORTED"})


class CommandError(LabelgraphError):
    """A command ended FAILED or ABORTED. ``.status``, ``.error`` (why it failed) and ``.command``."""

    def __init__(self, command: Any) -> None:
        self.command = command
        self.status = status_of(command)
        self.error = _get(command, "error") or _get(command, "message")
        super().__init__(f"command {_get(command, 'id')} ({_get(command, 'type')}) ended {self.status}"
                         + (f": {self.error}" if self.error else ""))


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


def status_of(command: Any) -> str:
    status = _get(command, "status")
    return str(getattr(status, "value", status))


def command_ended(command: Any) -> bool:
    return status_of(command) in TERMINAL


def checked(command: Any) -> Any:
    """The command if it succeeded; raises ``CommandError`` if it ended FAILED or ABORTED."""
    if status_of(command) != "SUCCESS":
        raise CommandError(command)
    return command


@contextmanager
def command_progress(enabled: bool, description: str) -> Iterator[Callable[[Any], None]]:
    """A rich progress bar (0-100 %); yields ``show(command)``."""
    if not enabled:
        yield lambda command: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TextColumn("{task.fields[message]}"), TimeElapsedColumn(), transient=False) as bar:
        task = bar.add_task(description, total=100, message="")

        def show(command: Any) -> None:
            bar.update(task, completed=_get(command, "progress") or 0, message=_get(command, "message") or "")

        yield show


def clone_input(dataset_id: str, name: str, project_id: str | None, filter: dict[str, Any] | None,
                with_annotations: bool, with_metadata: bool, with_item_statuses: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"datasetId": dataset_id, "name": name, "withAnnotations": with_annotations,
                           "withMetadata": with_metadata, "withItemStatuses": with_item_statuses}
    if project_id is not None:
        out["projectId"] = project_id
    if filter is not None:
        out["filter"] = filter
    return out
