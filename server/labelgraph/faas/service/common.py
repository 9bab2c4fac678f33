"""What the execution plane's service modules share: the tables and the name rule."""

from __future__ import annotations

from labelgraph.data.models import Annotation, Dataset, Item, Project
from labelgraph.errors import invalid
from labelgraph.faas import models as m

PROJECT = Project.__table__
PACKAGE = m.Package.__table__
REVISION = m.PackageRevision.__table__
CODEBASE = m.PackageCodebase.__table__
SERVICE = m.Service.__table__
TRIGGER = m.Trigger.__table__
ITEM, DATASET, ANNOTATION = Item.__table__, Dataset.__table__, Annotation.__table__
DEFAULT_NAMES = {"Item": "item", "Dataset": "dataset", "Annotation": "annotation", "Project": "project",
                 "Package": "package", "Service": "service", "Execution": "execution", "Model": "model"}
MAX_ARCHIVE = 50 * 1024 * 1024


def entity_name(value: str | None, field: str, what: str) -> str:
    if value is None or not value.strip() or len(value.strip()) > 200:
        raise invalid(f"{what} must be 1-200 characters", field)
    return value.strip()
