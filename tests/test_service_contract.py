"""The contract between resolvers and services (docs/architecture.md, "A mutation"): every service function a
mutation calls takes the caller's UnitOfWork and one typed command — a frozen, keyword-only dataclass of its
slice's commands.py — and neither services nor commands import strawberry or the GraphQL side of a slice."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import typing
from pathlib import Path

import pytest

import labelgraph

pytestmark = pytest.mark.database_agnostic(
    "a static check of the service modules' signatures and imports, no database")

SLICES = ("data", "faas", "identity", "ontology", "workflow", "jobs")
ROOT = Path(labelgraph.__file__).parent
GRAPHQL_SIDE = ("strawberry", "graphql")
GRAPHQL_MODULES = ("types", "inputs", "mutations", "queries", "subscriptions", "filters")
# service functions that are not a mutation's entry point: called by other services or the engine
HELPERS = {"check_input", "check_recipe", "create_default_recipe", "label_indexes", "normalize_color", "LabelIndex",
           "ensure_user", "service_bot", "workload", "block_bounds",
           "copy_dataset_rows",  # the set-based row copy: versions' service and the jobs' clone/merge handlers
           "merge_sources"}  # jobs: checked again by the merge handler


def _modules(slice_: str) -> list[Path]:
    package = ROOT / slice_ / "service"
    files = sorted(package.glob("*.py")) if package.is_dir() else [ROOT / slice_ / "service.py"]
    return [*files, ROOT / slice_ / "commands.py"]


@pytest.mark.parametrize("slice_", SLICES)
def test_services_and_commands_import_nothing_of_graphql(slice_):
    offenders = []
    for path in _modules(slice_):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                parts = name.split(".")
                if parts[0] in GRAPHQL_SIDE or (parts[0] == "labelgraph" and len(parts) == 3
                                                and parts[1] in SLICES and parts[2] in GRAPHQL_MODULES):
                    offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


@pytest.mark.parametrize("slice_", SLICES)
def test_every_service_entry_point_takes_one_frozen_keyword_only_command(slice_):
    service = importlib.import_module(f"labelgraph.{slice_}.service")
    commands = importlib.import_module(f"labelgraph.{slice_}.commands")
    entry_points = {name: fn for name, fn in vars(service).items()
                    if inspect.iscoroutinefunction(fn) and not name.startswith("_") and name not in HELPERS
                    and fn.__module__.startswith(f"labelgraph.{slice_}.service")}
    assert entry_points, f"no service functions found in labelgraph.{slice_}.service"
    wrong = {}
    for name, fn in entry_points.items():
        params = list(inspect.signature(fn).parameters)
        hints = typing.get_type_hints(fn)
        command = hints.get(params[-1]) if len(params) == 2 else None
        if not (isinstance(command, type) and dataclasses.is_dataclass(command)
                and command.__module__ == commands.__name__
                and command.__dataclass_params__.frozen
                and all(f.kw_only for f in dataclasses.fields(command))):
            wrong[name] = str(inspect.signature(fn))
    assert wrong == {}
