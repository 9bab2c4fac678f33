"""Fixtures of the compiler tests (helpers in compiler_support.py)."""

from __future__ import annotations

import pytest
from compiler_support import CompilerWorld, build_world


@pytest.fixture
async def compiler_world(gql, as_user) -> CompilerWorld:
    return await build_world(gql, as_user)


@pytest.fixture(autouse=True)
def no_compiler_failures(caplog):
    """A compiled query that fails falls back to resolvers (same answer): make such failures fail the test."""
    yield
    failures = [r for r in caplog.records if r.name == "labelgraph.compiler"]
    assert not failures, failures[0].getMessage()
