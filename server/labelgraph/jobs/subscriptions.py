"""``commandUpdated(id)``: a job's current state first, then every committed version once, in order, ending
after a terminal status. The machinery is the executions' (faas/subscriptions.py ``in_order``): subscribe before
reading, events carry the whole state at their version (jobs/queue.py ``command_event``), a Sequencer drops
duplicates and holds early versions, gaps are filled from the outbox."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from labelgraph.context import Info
from labelgraph.errors import Refused
from labelgraph.events.outbox import entity_topic
from labelgraph.events.sequence import Sequencer
from labelgraph.faas.subscriptions import in_order
from labelgraph.graph.errors import to_graphql_error
from labelgraph.graph.node import load_typed
from labelgraph.ids import type_of
from labelgraph.jobs.queue import TERMINAL
from labelgraph.jobs.types import Command, command_of_event


def _not_found(message: str) -> Exception:
    return to_graphql_error(Refused("NOT_FOUND", message, field="id"))


@strawberry.type
class JobsSubscription:
    @strawberry.subscription(description="One job: its current state first, then every committed change in version "
                             "order (no gaps, no duplicates); completes after SUCCESS, FAILED or ABORTED.")
    async def command_updated(self, info: Info, id: strawberry.ID) -> AsyncGenerator[Command, None]:
        ctx = info.context
        if type_of(id) != "Command":
            raise _not_found(f"id {id!r} is not the id of a Command")
        async with ctx.broker.subscribe(entity_topic(id)) as events:
            ctx._loaders.clear()  # the state as committed now
            current = await load_typed(info, "Command", id)
            if current is None:
                raise _not_found(f"no command with id {id!r}")
            yield current
            if current.status.value in TERMINAL:
                return
            seq = Sequencer(max_entities=1)
            seq.start(id, current.version)
            async for payload in in_order(ctx, events, seq, lambda p: True, resource="command"):
                if not ctx.access.can_read_project(payload["projectId"]):  # the caller left the project
                    raise _not_found(f"no command with id {id!r}")
                yield command_of_event(payload)
                if payload["status"] in TERMINAL:
                    return
