"""What the identity service is asked to do: typed, immutable commands built by ``identity/mutations.py`` (and
``labelgraph token``) from their inputs. No strawberry here; the role enums are plain enums that ``types.py``
registers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

command = dataclass(frozen=True, kw_only=True, slots=True)


class OrganizationRole(enum.Enum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    WORKER = "worker"


class ProjectRole(enum.Enum):
    OWNER = "owner"
    ENGINEER = "engineer"
    ANNOTATION_MANAGER = "annotationManager"
    ANNOTATOR = "annotator"



@command
class TokenCreate:
    """A new token for the caller or (admins only) for the user with ``email``, created if new."""

    name: str  # what the token is for
    email: str | None = None
    expires_at: datetime | None = None


@command
class TokenRevoke:
    id: str


@command
class OrganizationMemberSet:
    """Add a member (the user is created when the email is new) or change their role."""

    organization_id: str
    email: str
    role: OrganizationRole = OrganizationRole.MEMBER


@command
class OrganizationMemberRemove:
    """Remove a member from the organization and all of its projects."""

    organization_id: str
    email: str


@command
class ProjectMemberSet:
    """Add a member (someone outside the organization joins it as a WORKER) or change their role."""

    project_id: str
    email: str
    role: ProjectRole = ProjectRole.ENGINEER


@command
class ProjectMemberRemove:
    project_id: str
    email: str


@command
class BotCreate:
    """A project-scoped service user (an engineer of the project) with a token."""

    project_id: str
    name: str  # lowercase letters, digits and dashes
