"""Imports every slice's tables so SQLModel.metadata holds the whole graph (Alembic's target_metadata)."""

from sqlmodel import SQLModel

from labelgraph.data import content_models  # noqa: F401
from labelgraph.data import models as data_models  # noqa: F401
from labelgraph.events import models as event_models  # noqa: F401
from labelgraph.faas import models as faas_models  # noqa: F401
from labelgraph.health import HEALTH_PROBE  # noqa: F401
from labelgraph.identity import models as identity_models  # noqa: F401
from labelgraph.jobs import models as jobs_models  # noqa: F401
from labelgraph.ontology import models as ontology_models  # noqa: F401
from labelgraph.workflow import models as workflow_models  # noqa: F401

metadata = SQLModel.metadata
