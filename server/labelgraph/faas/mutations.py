"""Mutations of the execution plane: packages, services, triggers, executions, and the worker protocol
(executionsClaim → executionHeartbeat / executionProgress → executionComplete | executionFail | executionRelease).
"""

from __future__ import annotations

import asyncio
import time

import strawberry

from labelgraph.context import Info
from labelgraph.data.mutations import DeletePayload
from labelgraph.engine import queue
from labelgraph.errors import Problem, Problems
from labelgraph.faas import service
from labelgraph.faas.commands import (
    Codebase,
    Delete,
    ExecutionCreate,
    ExecutionLogsAppend,
    FunctionIO,
    LogLine,
    PackageCreate,
    PackageFunction,
    PackageModule,
    PackageUpdate,
    ServiceActivate,
    ServiceCreate,
    ServiceUpdate,
    TriggerCreate,
    TriggerDelete,
    TriggerUpdate,
)
from labelgraph.faas.inputs import (
    ExecutionCompleteInput,
    ExecutionCreateInput,
    ExecutionFailInput,
    ExecutionHeartbeatInput,
    ExecutionIdInput,
    ExecutionLogsAppendInput,
    ExecutionProgressInput,
    ExecutionReleaseInput,
    ExecutionsClaimInput,
    ExecutionsCompleteInput,
    FaasDeleteInput,
    FaasIdInput,
    PackageCreateInput,
    PackageUpdateInput,
    ServiceCreateInput,
    ServiceUpdateInput,
    TriggerCreateInput,
    TriggerUpdateInput,
)
from labelgraph.faas.subscriptions import WAITING, wait_seconds, wait_until_ended
from labelgraph.faas.types import Execution, ExecutionClaim, Package, Service, Trigger
from labelgraph.graph.connection import by_id_loader
from labelgraph.graph.errors import ErrorCode, UserError, user_errors
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.mutations import command_from, deleted_ids, mutate, node, run_write, value

MAX_WAIT = 30.0


@strawberry.type
class PackagePayload:
    package: Package | None
    errors: list[UserError]


@strawberry.type
class ServicePayload:
    service: Service | None
    errors: list[UserError]


@strawberry.type
class TriggerPayload:
    trigger: Trigger | None
    errors: list[UserError]


@strawberry.type
class ExecutionPayload:
    execution: Execution | None
    errors: list[UserError]


@strawberry.type
class ExecutionLogsAppendPayload:
    kept: int = strawberry.field(description="Lines kept (the others were beyond the execution's limit)")
    errors: list[UserError]


@strawberry.type
class ExecutionsClaimPayload:
    claims: list[ExecutionClaim]
    errors: list[UserError]


@strawberry.type
class ExecutionsCompletePayload:
    completed_ids: list[strawberry.ID] = strawberry.field(
        description="The executions that are SUCCESS now, in the order given")
    errors: list[UserError] = strawberry.field(
        description="CONFLICT (field: completions, its index, id) for each execution not leased by workerId (its "
                    "lease expired, it was terminated or it ended): the others are completed all the same. Any "
                    "other error (INVALID input, an id that is NOT_FOUND or FORBIDDEN) refuses the whole call: "
                    "nothing is completed.")


@strawberry.type
class ExecutionHeartbeatPayload:
    execution: Execution | None
    to_terminate: bool = strawberry.field(description="True: the execution was terminated; stop the function and "
                                          "report nothing more")
    errors: list[UserError]


def _io(inputs) -> list[FunctionIO] | None:
    if inputs is None:
        return None
    return [command_from(FunctionIO, i, has_default=i.default_value is not strawberry.UNSET,
                         default_value=None if i.default_value is strawberry.UNSET else i.default_value)
            for i in inputs]


def _modules(modules) -> list[PackageModule] | None:
    if modules is None:
        return None
    return [PackageModule(name=mod.name, reference=mod.reference, init_inputs=_io(mod.init_inputs), functions=[
        PackageFunction(name=fn.name, description=fn.description, display_name=fn.display_name,
                        inputs=_io(fn.inputs), outputs=_io(fn.outputs)) for fn in mod.functions])
        for mod in modules]


def _codebase(codebase) -> Codebase | None:
    return None if codebase is None else command_from(Codebase, codebase)


async def _load(info: Info, type_name: str, id_: str | None):
    return None if id_ is None else await by_id_loader(info.context, ENTITIES[type_name]).load(id_)


async def _waiting_write(info: Info, wait: bool, timeout_sec: int | None, work) -> ExecutionPayload:  # noqa: ANN001
    """``run_write`` for a mutation of one execution; with ``wait``, the answer comes when the execution has ended
    (following its change stream: faas/subscriptions.py), or after ``timeoutSec`` with its state as it is then
    and a TIMEOUT error (the write stands)."""
    try:
        seconds = wait_seconds(wait, timeout_sec)
    except Problems as exc:
        return ExecutionPayload(execution=None, errors=user_errors(exc.problems))
    if seconds is None:
        id_, errors = await run_write(info, work)
        return ExecutionPayload(execution=await _load(info, "Execution", id_), errors=errors)
    ctx = info.context
    with WAITING.slot(ctx.access.token_id or "anonymous"):  # refused (LIMIT_EXCEEDED) before anything is written
        id_, errors = await run_write(info, work)
        if id_ is None:
            return ExecutionPayload(execution=None, errors=errors)
        ended = await wait_until_ended(ctx, id_, seconds)
    ctx._loaders.clear()  # the state as it is now, not as loaded before the wait
    execution = await _load(info, "Execution", id_)
    if ended:
        return ExecutionPayload(execution=execution, errors=[])
    status = execution.status.name if execution is not None else "unknown"
    return ExecutionPayload(execution=execution, errors=[UserError(
        field=["timeoutSec"], code=ErrorCode.TIMEOUT,
        message=f"execution {id_} had not ended after {seconds:g} s (it is {status}); it goes on: follow it with "
                "executionUpdated(id) or query execution(id)")])


def _signal(info: Info):
    request = info.context.request
    state = getattr(getattr(getattr(request, "app", None), "state", None), "labelgraph", None) or {}
    return state.get("work_signal")


@strawberry.type
class FaasMutation:
    # --- packages, services, triggers ---------------------------------------------------------------------
    @strawberry.mutation(description="Register code and its functions (a package upserts nothing: names are "
                         "unique per project; use packageUpdate for a new revision)")
    async def package_create(self, info: Info, input: PackageCreateInput) -> PackagePayload:
        command = PackageCreate(project_id=input.project_id, name=input.name, codebase=_codebase(input.codebase),
                                modules=_modules(input.modules), version=input.version, metadata=input.metadata,
                                import_modules=info.context.settings.import_modules)
        return await mutate(info, PackagePayload, service.create_package, command, package=node("Package"))

    @strawberry.mutation(description="A new revision with new code and/or functions")
    async def package_update(self, info: Info, input: PackageUpdateInput) -> PackagePayload:
        command = PackageUpdate(id=input.id, codebase=_codebase(input.codebase), modules=_modules(input.modules),
                                version=input.version, metadata=input.metadata,
                                import_modules=info.context.settings.import_modules)
        return await mutate(info, PackagePayload, service.update_package, command, package=node("Package"))

    @strawberry.mutation(description="Delete a package with its services, triggers and executions")
    async def package_delete(self, info: Info, input: FaasDeleteInput) -> DeletePayload:
        return await mutate(info, DeletePayload, service.delete_package, Delete(id=input.id, confirm=input.confirm),
                            deleted_ids=deleted_ids())

    @strawberry.mutation(description="Deploy a package module with runtime settings")
    async def service_create(self, info: Info, input: ServiceCreateInput) -> ServicePayload:
        return await mutate(info, ServicePayload, service.create_service, command_from(ServiceCreate, input),
                            service=node("Service"))

    @strawberry.mutation
    async def service_update(self, info: Info, input: ServiceUpdateInput) -> ServicePayload:
        return await mutate(info, ServicePayload, service.update_service, command_from(ServiceUpdate, input),
                            service=node("Service"))

    @strawberry.mutation(description="Pause: nothing more is claimed and no trigger fires (running executions "
                         "finish)")
    async def service_pause(self, info: Info, input: FaasIdInput) -> ServicePayload:
        return await mutate(info, ServicePayload, service.set_service_active,
                            ServiceActivate(id=input.id, active=False), service=node("Service"))

    @strawberry.mutation
    async def service_resume(self, info: Info, input: FaasIdInput) -> ServicePayload:
        return await mutate(info, ServicePayload, service.set_service_active,
                            ServiceActivate(id=input.id, active=True), service=node("Service"))

    @strawberry.mutation(description="Delete a service with its triggers and executions")
    async def service_delete(self, info: Info, input: FaasDeleteInput) -> DeletePayload:
        return await mutate(info, DeletePayload, service.delete_service, Delete(id=input.id, confirm=input.confirm),
                            deleted_ids=deleted_ids())

    @strawberry.mutation(description="An event trigger (resource × actions × filter) or, with cron, a schedule")
    async def trigger_create(self, info: Info, input: TriggerCreateInput) -> TriggerPayload:
        return await mutate(info, TriggerPayload, service.create_trigger, command_from(TriggerCreate, input),
                            trigger=node("Trigger"))

    @strawberry.mutation
    async def trigger_update(self, info: Info, input: TriggerUpdateInput) -> TriggerPayload:
        return await mutate(info, TriggerPayload, service.update_trigger, command_from(TriggerUpdate, input),
                            trigger=node("Trigger"))

    @strawberry.mutation
    async def trigger_delete(self, info: Info, input: FaasIdInput) -> DeletePayload:
        return await mutate(info, DeletePayload, service.delete_trigger, TriggerDelete(id=input.id),
                            deleted_ids=deleted_ids())

    # --- executions -------------------------------------------------------------------------------------
    @strawberry.mutation(description="Queue a function run; the input is checked against its signature")
    async def execution_create(self, info: Info, input: ExecutionCreateInput) -> ExecutionPayload:
        command = command_from(ExecutionCreate, input)
        return await _waiting_write(info, input.wait, input.timeout_sec,
                                    lambda uow: service.create_execution(uow, command))

    @strawberry.mutation(description="Ask the execution to stop: queued ones end TERMINATED now, running ones when "
                         "their worker next heartbeats")
    async def execution_terminate(self, info: Info, input: ExecutionIdInput) -> ExecutionPayload:
        return await _waiting_write(info, input.wait, input.timeout_sec, lambda uow: queue.terminate(uow, input.id))

    @strawberry.mutation(description="Queue an ended execution again with the same input")
    async def execution_rerun(self, info: Info, input: ExecutionIdInput) -> ExecutionPayload:
        return await _waiting_write(info, input.wait, input.timeout_sec, lambda uow: queue.rerun(uow, input.id))

    # --- the worker protocol ----------------------------------------------------------------------------
    @strawberry.mutation(description="Workers: lease up to max queued executions (oldest first, at most each "
                         "service's concurrency per worker), with their inputs resolved")
    async def executions_claim(self, info: Info, input: ExecutionsClaimInput) -> ExecutionsClaimPayload:
        signal = _signal(info)
        deadline = time.monotonic() + max(0.0, min(input.wait_seconds, MAX_WAIT))
        service_ids = list(input.service_ids) if input.service_ids is not None else None
        while True:
            seq = signal.seq if signal else 0
            claimed, errors = await run_write(info, lambda uow: queue.claim_resolved(
                uow, input.worker_id, service_ids, input.max, input.lease_seconds))
            ids = [c[0].id for c in claimed or []]
            remaining = deadline - time.monotonic()
            if errors or ids or remaining <= 0:
                break
            if signal:
                await signal.wait(seq, min(remaining, 1.0))
            else:
                await asyncio.sleep(min(remaining, 0.5))
        if not ids:
            return ExecutionsClaimPayload(claims=[], errors=errors)
        # inputs were resolved and tokens issued in the claim's transaction; the executions are read once more
        # for what the worker's selection asks of them (after the commit: the claimed version)
        executions = await by_id_loader(info.context, ENTITIES["Execution"]).load_many(ids)
        return ExecutionsClaimPayload(claims=[
            ExecutionClaim(execution=e, resolved_input=c[2], lease_seconds=input.lease_seconds, token=c[3])
            for e, c in zip(executions, claimed, strict=True)], errors=[])

    @strawberry.mutation(description="Workers: extend the lease; toTerminate=true means the execution was "
                         "terminated and must stop")
    async def execution_heartbeat(self, info: Info, input: ExecutionHeartbeatInput) -> ExecutionHeartbeatPayload:
        return await mutate(info, ExecutionHeartbeatPayload,
                            lambda uow: queue.heartbeat(uow, input.id, input.worker_id, input.lease_seconds),
                            execution=node("Execution", lambda result: input.id if result else None),
                            to_terminate=value(lambda result: bool(result and result[1]), empty=False))

    @strawberry.mutation(description="Workers: report progress (appended to the status log)")
    async def execution_progress(self, info: Info, input: ExecutionProgressInput) -> ExecutionPayload:
        return await mutate(info, ExecutionPayload, lambda uow: queue.progress(
            uow, input.id, input.worker_id, input.percent_complete, input.message, input.lease_seconds),
            execution=node("Execution"))

    @strawberry.mutation(description="Workers: lines the function printed or logged, oldest first (kept up to "
                         "LABELGRAPH_MAX_LOG_BYTES per execution; one marker line counts the rest)")
    async def execution_logs_append(self, info: Info, input: ExecutionLogsAppendInput) -> ExecutionLogsAppendPayload:
        command = ExecutionLogsAppend(
            id=input.id, worker_id=input.worker_id, dropped_bytes=input.dropped_bytes,
            max_bytes=info.context.settings.max_log_bytes,
            lines=[LogLine(time=line.time, stream=line.stream.value, level=line.level.value if line.level else None,
                           text=line.text)
                   for line in input.lines])
        return await mutate(info, ExecutionLogsAppendPayload, service.append_logs, command,
                            kept=value(empty=0))

    @strawberry.mutation(description="Workers: the function returned; SUCCESS with its output")
    async def execution_complete(self, info: Info, input: ExecutionCompleteInput) -> ExecutionPayload:
        return await mutate(info, ExecutionPayload,
                            lambda uow: queue.complete(uow, input.id, input.worker_id, input.output),
                            execution=node("Execution"))

    @strawberry.mutation(description="Workers: several functions returned; SUCCESS with their outputs, in one "
                         "transaction (one request and one commit for many executions)")
    async def executions_complete(self, info: Info, input: ExecutionsCompleteInput) -> ExecutionsCompletePayload:
        completions = list(input.completions)
        problems = []
        if not input.worker_id or len(input.worker_id) > 200:
            problems.append(Problem("INVALID", "workerId must be 1-200 characters", ["workerId"]))
        if not 1 <= len(completions) <= queue.MAX_CLAIM:
            problems.append(Problem("INVALID", f"completions must hold 1 to {queue.MAX_CLAIM} executions, got "
                                    f"{len(completions)}", ["completions"]))
        seen: dict[str, int] = {}
        for i, c in enumerate(completions):
            if c.id in seen:
                problems.append(Problem("INVALID", f"execution {c.id} is given twice (completions {seen[c.id]} and "
                                        f"{i})", ["completions", str(i), "id"]))
            seen.setdefault(c.id, i)
        if problems:
            return ExecutionsCompletePayload(completed_ids=[], errors=user_errors(problems))
        outputs = {c.id: c.output for c in completions}

        async def work(uow):
            refused = await queue.complete_many(uow, input.worker_id, outputs)
            bad = [Problem(p.code, p.message, ["completions", str(seen[id_]), "id"]) for id_, p in refused.items()
                   if p.code != "CONFLICT"]
            if bad:  # an id that names no execution the caller may work on: bad input, nothing is written
                raise Problems(sorted(bad, key=lambda p: int(p.field[1])))
            return refused

        refused, errors = await run_write(info, work)
        if errors:
            return ExecutionsCompletePayload(completed_ids=[], errors=errors)
        return ExecutionsCompletePayload(
            completed_ids=[c.id for c in completions if c.id not in refused],
            errors=[UserError(field=["completions", str(seen[id_]), "id"], code=ErrorCode(p.code), message=p.message)
                    for id_, p in sorted(refused.items(), key=lambda kv: seen[kv[0]])])

    @strawberry.mutation(description="Workers: the function raised; FAILED with the error")
    async def execution_fail(self, info: Info, input: ExecutionFailInput) -> ExecutionPayload:
        return await mutate(info, ExecutionPayload,
                            lambda uow: queue.fail(uow, input.id, input.worker_id, input.error, input.details),
                            execution=node("Execution"))

    @strawberry.mutation(description="Workers: give the execution back to the queue (shutting down); the attempt "
                         "does not count")
    async def execution_release(self, info: Info, input: ExecutionReleaseInput) -> ExecutionPayload:
        return await mutate(info, ExecutionPayload, lambda uow: queue.release(uow, input.id, input.worker_id),
                            execution=node("Execution"))
