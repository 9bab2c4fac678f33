"""Small functions for trying the execution plane, tests and benchmarks (codebase IMPORT
labelgraph.samples.basic:Basic)."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from typing import Any


class Basic:
    def __init__(self, greeting: str = "hello") -> None:
        self.greeting = greeting

    async def noop(self) -> None:
        return None

    async def echo(self, config: Any = None) -> Any:
        return {"greeting": self.greeting, "config": config}

    async def sleep(self, seconds: float, context) -> dict[str, Any]:
        steps = max(1, int(seconds / 0.1))
        for i in range(steps):
            await asyncio.sleep(seconds / steps)
            if i == steps // 2:
                await context.progress(50, "half way")
        return {"slept": seconds}

    def block(self, seconds: float, context) -> dict[str, Any]:
        """A plain (thread) function with termination checkpoints."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            context.check_terminated()
            time.sleep(0.05)
        return {"blocked": seconds}

    async def fail(self, message: str = "boom") -> None:
        raise RuntimeError(message)

    async def describe(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"id": item["id"], "filename": item.get("filename"), "metadata": item.get("metadata"),
                "deleted": item.get("deleted", False)}

    def record(self, path: str, context) -> str:
        """Append the execution id to a file (tests: which executions ran, and how often)."""
        with open(path, "a") as f:
            f.write(context.execution_id + "\n")
        return context.execution_id

    async def stamp(self, item: Any = None) -> dict[str, Any]:
        """When the function started (wall clock): the dispatch-latency benchmark reads it."""
        return {"started": time.time()}

    def steps(self, count: int, context, increment: int = 0) -> int:
        """A plain (thread) function reporting ``count`` progress steps: ``step i`` at i * 10 percent, or, with
        ``increment``, adding that much each step."""
        for i in range(1, count + 1):
            if increment:
                context.progress(increment=increment, message=f"step {i}")
            else:
                context.progress(i * 10, f"step {i}")
        return count

    async def async_steps(self, count: int, context, increment: int = 0) -> int:
        """``steps`` as a coroutine."""
        for i in range(1, count + 1):
            if increment:
                await context.progress(increment=increment, message=f"step {i}")
            else:
                await context.progress(i * 10, f"step {i}")
        return count

    def chatter(self, lines: int, context=None) -> int:
        """Print ``lines`` lines to stdout, one to stderr, and log one record of each level from INFO up (the
        execution-logs tests); a thread function."""
        log = logging.getLogger("chatter")
        for i in range(lines):
            print(f"line {i}")
        print("to stderr", file=sys.stderr)
        log.debug("debug is below the default level")
        log.info("info %d", lines)
        log.warning("careful")
        log.error("bad")
        return lines

    async def async_chatter(self, lines: int, seconds: float = 0.0) -> int:
        """``chatter`` as a coroutine, then staying ``seconds`` (the heartbeat test)."""
        for i in range(lines):
            print(f"line {i}")
        logging.getLogger("chatter").warning("done printing")
        await asyncio.sleep(seconds)
        return lines
