"""Creating and aborting jobs (the mutation side): access and input are checked here, before anything is
queued, so a refused request writes nothing; the handlers (jobs/handlers.py) check again what may have changed
since (a name taken meanwhile, file names that clash)."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa

from labelgraph.data.filters import ITEM_TYPED
from labelgraph.data.models import Dataset, Item
from labelgraph.data.resources import ITEM
from labelgraph.data.validation import check_name
from labelgraph.db import UnitOfWork
from labelgraph.errors import Problems, Refused, invalid, not_found, raise_if
from labelgraph.graph import dql
from labelgraph.graph import filterspec as fs
from labelgraph.identity.models import Project
from labelgraph.ids import type_of
from labelgraph.jobs import queue
from labelgraph.jobs.commands import CommandAbort, DatasetClone, DatasetsMerge
from labelgraph.rows import load_for, require_unique_name

DATASET = Dataset.__table__
ITEMS = Item.__table__
PROJECT = Project.__table__
MAX_MERGE = 50
ITEM_JSON = dataclasses.replace(ITEM_TYPED, combinators=True)


def item_conditions(f: Any, dialect: str, field: str = "filter") -> list[sa.ColumnElement]:
    """SQL conditions on the item table from a stored item filter: the typed filter's JSON form or a DQL
    document (raises Refused naming the path inside the filter that is wrong)."""
    if f is None or f == {}:
        return []
    if not isinstance(f, dict):
        raise fs.bad(field, 'must be a JSON object like {"dir": {"glob": "/train/**"}}')
    node = dql.parse(f, "item", field, allow_sort=False).filter if dql.is_dql(f) else \
        fs.check_limits(fs.from_typed(f, ITEM_JSON, field))
    return fs.conditions(node, ITEM, dialect)


async def _dataset(uow: UnitOfWork, id_: str, field: str) -> Any:
    # NOT_FOUND outside the caller's projects, FORBIDDEN without write access to the dataset's project
    return await load_for(uow, DATASET, id_, field, "Dataset", "dataset.write", "name", "recipe_id")


async def clone(uow: UnitOfWork, cmd: DatasetClone) -> str:
    source = await _dataset(uow, cmd.dataset_id, "datasetId")
    project_id = cmd.project_id or source.project_id
    if cmd.project_id is not None:
        await load_for(uow, PROJECT, cmd.project_id, "projectId", "Project", "dataset.write")
    raise_if([check_name(cmd.name, ["name"])])
    await require_unique_name(uow, DATASET, "project_id", project_id, cmd.name.strip(), "name", "dataset")
    if cmd.with_item_statuses and project_id != source.project_id:
        raise invalid("withItemStatuses copies the items' task statuses, and tasks belong to the source's project: "
                      "clone into the same project, or set withItemStatuses: false", "withItemStatuses")
    try:  # a bad filter is refused now, not when the job runs
        item_conditions(cmd.filter, uow.conn.dialect.name)
    except Refused as exc:
        raise invalid(str(exc), "filter") from None
    return await queue.create(uow, "clone", project_id, {
        "datasetId": cmd.dataset_id, "name": cmd.name.strip(), "projectId": project_id, "filter": cmd.filter,
        "withAnnotations": cmd.with_annotations, "withMetadata": cmd.with_metadata,
        "withItemStatuses": cmd.with_item_statuses})


async def merge_sources(uow: UnitOfWork, ids: list[str], field: str = "datasetIds") -> list[Any]:
    """The datasets to merge: at least two, distinct, each writable by the caller, all in one project and
    sharing one recipe (labelgraph refuses to merge datasets whose recipes differ, see the README)."""
    if not 2 <= len(ids) <= MAX_MERGE:
        raise invalid(f"datasetIds takes 2 to {MAX_MERGE} datasets, got {len(ids)}", field)
    if len(set(ids)) != len(ids):
        raise invalid("datasetIds names a dataset twice", field)
    rows = []
    for i, id_ in enumerate(ids):
        if type_of(id_) != "Dataset":
            raise not_found(f"{id_!r} is not the id of a Dataset", field, i)
        rows.append(await load_for(uow, DATASET, id_, f"{field}[{i}]", "Dataset", "dataset.write", "name",
                                   "recipe_id"))
    if len({r.project_id for r in rows}) > 1:
        raise invalid("the datasets to merge must belong to one project; clone them into one project first", field)
    recipes = {r.recipe_id for r in rows}
    if len(recipes) > 1:
        which = ", ".join(f"{r.name} ({r.id}): {r.recipe_id}" for r in rows)
        raise Problems.one("CONFLICT", f"the datasets use different recipes ({which}); labelgraph merges datasets "
                           "that share a recipe only: switch them to one recipe first (datasetUpdate recipeId)",
                           [field])
    return rows


async def merge(uow: UnitOfWork, cmd: DatasetsMerge) -> str:
    rows = await merge_sources(uow, list(cmd.dataset_ids))
    project_id = rows[0].project_id
    raise_if([check_name(cmd.name, ["name"])])
    await require_unique_name(uow, DATASET, "project_id", project_id, cmd.name.strip(), "name", "dataset")
    return await queue.create(uow, "merge", project_id, {
        "datasetIds": list(cmd.dataset_ids), "name": cmd.name.strip(), "withAnnotations": cmd.with_annotations})


async def abort(uow: UnitOfWork, cmd: CommandAbort) -> str:
    return await queue.abort(uow, cmd.id)
