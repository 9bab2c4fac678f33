"""Fixtures of the execution-plane tests; the helpers and fixtures live in faas_support.py, which test modules
import by that unique name (two directories' ``conftest`` modules would shadow each other)."""

from faas_support import *  # noqa: F403  (registers the fixtures defined there)
