"""Fixtures of the scale-out tests; the helpers and fixtures live in scale_support.py, which test modules import
by that unique name (two directories' ``conftest`` modules would shadow each other)."""

from scale_support import *  # noqa: F403  (registers the fixtures defined there)
