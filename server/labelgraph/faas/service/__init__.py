"""Writes of the execution plane: packages (with revisions and uploaded codebases), services, triggers and
executions, one module each, what they share in ``common``. Every function takes the caller's UnitOfWork and
one typed command from ``labelgraph.faas.commands``, checks "faas.write" / "execution.write" in the row's
project, validates everything before writing and records outbox events. The queue's state changes (claims,
leases, progress) are in labelgraph.engine.queue."""

from labelgraph.faas.service.executions import append_logs, check_input, create_execution
from labelgraph.faas.service.packages import create_package, delete_package, update_package
from labelgraph.faas.service.services import create_service, delete_service, set_service_active, update_service
from labelgraph.faas.service.triggers import create_trigger, delete_trigger, update_trigger

__all__ = [
    "append_logs",
    "check_input", "create_execution", "create_package", "create_service", "create_trigger", "delete_package",
    "delete_service", "delete_trigger", "set_service_active", "update_package", "update_service", "update_trigger",
]
