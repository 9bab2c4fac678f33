"""``commandUpdated(id)``: a job's current state first, then every committed version once, in order, ending
after a terminal status; ``commandsUpdated(filter)``: every committed change of the jobs a filter selects (a
project's, say: a job started anywhere, by the CLI or another tab, appears), per job in version order, no initial
state (like ``executionsUpdated``). The machinery is the executions' (faas/subscriptions.py ``in_order``):
subscribe before reading, events carry the whole state at their version (jobs/queue.py ``command_event``), a
Sequencer drops duplicates and holds early versions, gaps are filled from the outbox."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from labelgraph.columns import utcnow
from labelgraph.context import Info
from labelgraph.errors import Refused
from labelgraph.events.outbox import entity_topic, topic_of
from labelgraph.events.sequence import Sequencer
from labelgraph.faas.subscriptions import CLOCK_MARGIN, in_order
from labelgraph.graph.errors import to_graphql_error
from labelgraph.graph.filters import check_conditions
from labelgraph.graph.node import load_typed
from labelgraph.ids import type_of
from labelgraph.jobs.queue import TERMINAL
from labelgraph.jobs.types import Command, CommandFilter, command_of_event


def _not_found(message: str, field: str = "id") -> Exception:
    return to_graphql_error(Refused("NOT_FOUND", message, field=field))


def _topics(info: Info, f: CommandFilter) -> list[str]:
    """The broker topics carrying the commands ``f`` selects that the caller may see."""
    access = info.context.access
    if f.project_id is not None:
        if type_of(f.project_id) != "Project" or not access.can_read_project(f.project_id):
            raise _not_found(f"no project with id {f.project_id!r}", "filter.projectId")
        return [topic_of("command", f.project_id)]
    if access.is_admin:
        return ["events"]
    return [topic_of("command", p) for p in access.project_ids()]


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

    @strawberry.subscription(description="Every committed change of the jobs matching the filter (projectId, types, "
                             "statuses) that you can see, per job in version order without duplicates: a job "
                             "started anywhere appears with its first version. No initial state: query `commands` "
                             "for that.")
    async def commands_updated(self, info: Info, filter: CommandFilter | None = None
                               ) -> AsyncGenerator[Command, None]:
        ctx = info.context
        f = filter or CommandFilter()
        try:
            check_conditions(f)
        except Refused as exc:
            raise to_graphql_error(exc) from None
        topics = _topics(info, f)
        types = set(f.types) if f.types is not None else None
        statuses = {s.value for s in f.statuses} if f.statuses is not None else None

        def accept(p: dict) -> bool:  # project and type are fixed for a job: every version of a followed one passes
            return (ctx.access.can_read_project(p.get("projectId"))
                    and (f.project_id is None or p.get("projectId") == f.project_id)
                    and (types is None or p.get("type") in types))

        # jobs created from now on are streamed from their first version (with a margin for other replicas' clocks)
        since = utcnow() - CLOCK_MARGIN
        async with ctx.broker.subscribe(*topics) as events:
            async for payload in in_order(ctx, events, Sequencer(), accept, since, resource="command"):
                if statuses is not None and payload["status"] not in statuses:
                    continue
                yield command_of_event(payload)
