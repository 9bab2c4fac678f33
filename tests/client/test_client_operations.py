"""The client's operations (schema/operations/) cover the server: every root query, mutation and subscription field
has an operation; names are unique and verb-first; subscriptions live in subscriptions/ (the sync client is
generated from requests/ only and cannot have any)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, OperationType, build_schema, parse

pytestmark = pytest.mark.database_agnostic(
    "the client's operation files against the committed schema, no database")

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "schema" / "operations"
VERBS = (
    "Get", "List", "Count", "Search", "Find", "Watch", "Create", "Update", "Delete", "Add", "Remove", "Revoke",
    "Set", "Move", "Copy", "Rename", "Run", "Rerun", "Start", "Stop", "Cancel", "Terminate", "Claim", "Complete",
    "Fail", "Extend", "Report", "Assign", "Unassign", "Upload", "Import", "Export", "Attach", "Detach", "Pause",
    "Resume", "Deploy", "Trigger", "Approve", "Reject", "Publish", "Restore", "Archive", "Lock", "Unlock",
    "Heartbeat", "Append", "Retry", "Release", "Renew", "Reset", "Send", "Submit", "Review", "Invite", "Accept",
    "Decline",
    "Open", "Close", "Reopen", "Execute", "Invoke", "Apply", "Preview", "Distribute", "Redistribute", "Reassign",
    "Schedule", "Enable", "Disable", "Verify", "Generate", "Refresh", "Rotate", "Grant", "Replace", "Upsert",
    "Mark", "Link", "Unlink", "Sync", "Enqueue", "Download", "Duplicate", "Merge", "Split", "Validate",
    "Commit",  # item content: CommitItemUploads
    "Clone", "Abort",  # dataset jobs: CloneDataset, AbortCommand
)


def _operations() -> list[tuple[Path, OperationDefinitionNode]]:
    found = []
    for path in sorted(OPERATIONS.rglob("*.graphql")):
        for definition in parse(path.read_text()).definitions:
            if isinstance(definition, OperationDefinitionNode):
                found.append((path, definition))
    return found


def test_every_root_field_has_an_operation():
    schema = build_schema((ROOT / "schema" / "schema.graphql").read_text())
    covered: dict[OperationType, set[str]] = {t: set() for t in OperationType}
    for _, operation in _operations():
        covered[operation.operation] |= {s.name.value for s in operation.selection_set.selections
                                         if hasattr(s, "name")}
    roots = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
             OperationType.SUBSCRIPTION: schema.subscription_type}
    missing = {f"{kind.value} {name}" for kind, root in roots.items() if root is not None
               for name in root.fields if name not in covered[kind]}
    assert not missing, f"add operations to schema/operations/ for: {sorted(missing)}"


def test_operation_names_are_unique_and_verb_first():
    names = [operation.name.value for _, operation in _operations() if operation.name]
    assert len(names) == len(_operations()), "every operation needs a name"
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for name in names:
        verb = re.match(r"[A-Z][a-z]*", name)
        assert verb and verb.group() in VERBS, f"{name} should start with a verb (if it does, add it to VERBS here)"


def test_subscriptions_only_in_their_folder():
    for path, operation in _operations():
        in_subscriptions = path.is_relative_to(OPERATIONS / "subscriptions")
        assert (operation.operation is OperationType.SUBSCRIPTION) == in_subscriptions, (
            f"{operation.name.value} in {path.relative_to(ROOT)}: subscriptions go to schema/operations/subscriptions/,"
            " queries and mutations to schema/operations/requests/")
