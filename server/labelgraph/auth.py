"""Identity and authorization: API tokens, the caller's access, the role matrix.

* Tokens are ``lg_`` + 32 random bytes (url-safe base64), shown once, stored as their SHA-256.
* A request's ``Access`` is loaded once (two statements: the token with its user, then the memberships) and
  answers every authorization question of the request without further queries: read predicates are
  ``project_id IN (…)`` on the row itself (every project-scoped row carries its project_id), writes check the
  caller's role in the row's project against ``PROJECT_PERMISSIONS``.
* Something outside the caller's organizations and projects is "not found", never "forbidden": ids do not
  reveal what exists elsewhere. FORBIDDEN is for callers who can see a thing but whose role may not change it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from labelgraph import db
from labelgraph.columns import as_utc, utcnow
from labelgraph.errors import Problems, Refused
from labelgraph.identity.models import ApiToken, OrganizationMember, Project, ProjectMember, User

TOKEN_PREFIX = "lg_"
FUNCTION_TOKEN_PREFIX = "execution exe_"  # the name of a token issued to a function for one execution attempt
TOKEN = ApiToken.__table__
USER = User.__table__
ORG_MEMBER = OrganizationMember.__table__
PROJECT_MEMBER = ProjectMember.__table__
PROJECT = Project.__table__
# GraphQL type name -> its read predicates beyond its project's, registered by the slice that owns the type's
# table (workflow: annotators see only their own tasks and assignments); see ``Access.scope``
SCOPE_RULES: dict[str, Callable[[Access, str, sa.Table], list[sa.ColumnElement]]] = {}

ORG_ROLES = ("owner", "admin", "member", "worker")
PROJECT_ROLES = ("owner", "engineer", "annotationManager", "annotator")

# What each project role may do. Organization owners and admins act as project owners in all the
# organization's projects; platform admins may do everything. The README's role matrix is this table.
PROJECT_PERMISSIONS: dict[str, frozenset[str]] = {
    "project.read": frozenset(PROJECT_ROLES),
    "project.update": frozenset({"owner"}),
    "project.delete": frozenset({"owner"}),
    "project.members": frozenset({"owner"}),
    "dataset.write": frozenset({"owner", "engineer"}),
    "item.write": frozenset({"owner", "engineer"}),
    "annotation.write": frozenset(PROJECT_ROLES),
    "item_status.write": frozenset(PROJECT_ROLES),
    "recipe.write": frozenset({"owner", "engineer"}),
    "task.write": frozenset({"owner", "engineer", "annotationManager"}),
    "faas.write": frozenset({"owner", "engineer"}),
    "execution.write": frozenset({"owner", "engineer"}),
    "execution.work": frozenset({"owner", "engineer"}),
}
ORG_PERMISSIONS: dict[str, frozenset[str]] = {
    "organization.read": frozenset(ORG_ROLES),
    "organization.update": frozenset({"owner", "admin"}),
    "organization.delete": frozenset({"owner"}),
    "organization.members": frozenset({"owner", "admin"}),
    "project.create": frozenset({"owner", "admin", "member"}),
}


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Access:
    """What one caller may reach: loaded once per request."""

    user_id: str | None = None
    email: str | None = None
    is_admin: bool = False
    token_id: str | None = None
    bot_project_id: str | None = None
    function_token: bool = False  # a token the server gave a function for one execution (engine/queue.py)
    org_roles: dict[str, str] = field(default_factory=dict)
    project_roles: dict[str, str] = field(default_factory=dict)  # effective role per project

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    # --- reads -----------------------------------------------------------------------------------------
    def project_ids(self) -> list[str]:
        return list(self.project_roles)

    def org_ids(self) -> list[str]:
        return list(self.org_roles)

    def can_read_project(self, project_id: str | None) -> bool:
        return self.is_admin or (project_id is not None and project_id in self.project_roles)

    def can_read_org(self, org_id: str) -> bool:
        return self.is_admin or org_id in self.org_roles

    def scope(self, type_name: str, table: sa.Table, project_column: str | None) -> list[sa.ColumnElement]:
        """SQL predicates restricting ``table`` (of GraphQL type ``type_name``) to what the caller may read."""
        if self.is_admin:
            return []
        if type_name == "Organization":
            return [table.c.id.in_(self.org_ids())]
        if type_name == "Project":
            return [table.c.id.in_(self.project_ids())]
        if type_name == "ApiToken":
            return [table.c.user_id == self.user_id]
        if type_name == "OrganizationMember":
            return [table.c.organization_id.in_(self.org_ids())]
        if type_name == "User":
            return [sa.or_(
                table.c.id == self.user_id,
                table.c.id.in_(sa.select(ORG_MEMBER.c.user_id).where(
                    ORG_MEMBER.c.organization_id.in_(self.org_ids()))),
                table.c.id.in_(sa.select(PROJECT_MEMBER.c.user_id).where(
                    PROJECT_MEMBER.c.project_id.in_(self.project_ids()))),
            )]
        rule = SCOPE_RULES.get(type_name)
        if rule is not None:
            return rule(self, type_name, table)
        if project_column is not None:
            return [table.c[project_column].in_(self.project_ids())]
        return []

    # --- writes ----------------------------------------------------------------------------------------
    def require_project(self, project_id: str | None, permission: str, what: str, id_: str, field: str) -> None:
        """Raise NOT_FOUND (a problem) when the caller cannot see the project, FORBIDDEN (top level) when its
        role may not do ``permission`` there."""
        _require(self.is_admin, self.project_roles.get(project_id or ""), PROJECT_PERMISSIONS, "project", permission,
                 f"no {what} with id {id_!r}", field)

    def require_org(self, org_id: str, permission: str, id_: str, field: str) -> None:
        _require(self.is_admin, self.org_roles.get(org_id), ORG_PERMISSIONS, "organization", permission,
                 f"no organization with id {id_!r}", field)

    def require_user(self) -> None:
        if not self.authenticated:
            raise Refused("UNAUTHENTICATED", "sign in: send Authorization: Bearer <token>")


def _require(is_admin: bool, role: str | None, permissions: dict[str, frozenset[str]], scope: str, permission: str,
             not_found: str, field: str) -> None:
    """NOT_FOUND (a problem naming ``field``) without a role in the scope; FORBIDDEN (top level) when the role may
    not do ``permission`` there. Platform admins may do everything."""
    if is_admin:
        return
    if role is None:
        raise Problems.one("NOT_FOUND", not_found, [field])
    if role not in permissions[permission]:
        allowed = ", ".join(sorted(permissions[permission]))
        raise Refused("FORBIDDEN", f"your role in this {scope} ({role}) may not {_verb(permission)}; "
                      f"allowed: {allowed}", permission=permission, role=role)


def _verb(permission: str) -> str:
    thing, _, action = permission.partition(".")
    return {"read": f"read {thing}s", "write": f"change {thing.replace('_', ' ')}s", "update": f"update the {thing}",
            "delete": f"delete the {thing}", "members": "manage members", "create": f"create {thing}s",
            "work": "run executions as a worker"}.get(action, permission)


ANONYMOUS = Access()
SYSTEM = Access(is_admin=True)  # internal work (bootstrap, workers of the engine) acts as the platform
db.SYSTEM = SYSTEM  # what a transaction without an Access acts as (db sits below auth and does not import it)


def scope_rule(*type_names: str) -> Callable[[Callable], Callable]:
    """Register ``rule(access, type_name, table) -> predicates`` as the read scope of ``type_names`` (for a
    caller that is not a platform admin), instead of "in one of the caller's projects"."""

    def wrap(rule: Callable) -> Callable:
        for name in type_names:
            SCOPE_RULES[name] = rule
        return rule

    return wrap


async def load_access(conn, token: str, now: datetime | None = None) -> Access | None:
    """The Access of a bearer token, or None when the token is unknown, revoked or expired (at ``now``).

    One statement: the token with its user, the organization memberships, the project memberships and the
    projects of organizations where the user is owner or admin (effective project owner)."""
    hashed = hash_token(token)
    text, flag, moment = sa.String(), sa.Boolean(), TOKEN.c.expires_at.type

    def nulls(*types) -> list:
        return [sa.cast(sa.null(), t) for t in types]

    by_token = TOKEN.c.token_hash == hashed
    stmt = sa.union_all(
        sa.select(sa.literal("t"), TOKEN.c.id, TOKEN.c.name, USER.c.id, USER.c.email, USER.c.is_admin,
                  USER.c.bot_project_id, TOKEN.c.expires_at, TOKEN.c.revoked_at)
        .select_from(TOKEN.join(USER, USER.c.id == TOKEN.c.user_id)).where(by_token),
        sa.select(sa.literal("o"), ORG_MEMBER.c.organization_id, ORG_MEMBER.c.role,
                  *nulls(text, text, flag, text, moment, moment))
        .select_from(ORG_MEMBER.join(TOKEN, TOKEN.c.user_id == ORG_MEMBER.c.user_id)).where(by_token),
        sa.select(sa.literal("p"), PROJECT_MEMBER.c.project_id, PROJECT_MEMBER.c.role,
                  *nulls(text, text, flag, text, moment, moment))
        .select_from(PROJECT_MEMBER.join(TOKEN, TOKEN.c.user_id == PROJECT_MEMBER.c.user_id)).where(by_token),
        sa.select(sa.literal("p"), PROJECT.c.id, sa.literal("owner"), *nulls(text, text, flag, text, moment, moment))
        .select_from(PROJECT.join(ORG_MEMBER, ORG_MEMBER.c.organization_id == PROJECT.c.organization_id)
                     .join(TOKEN, TOKEN.c.user_id == ORG_MEMBER.c.user_id))
        .where(by_token, ORG_MEMBER.c.role.in_(("owner", "admin"))),
    )
    rows = (await conn.execute(stmt)).all()
    head = next((r for r in rows if r[0] == "t"), None)
    if head is None or head[8] is not None:  # unknown or revoked
        return None
    if head[7] is not None and as_utc(head[7]) <= (now or utcnow()):
        return None
    access = Access(user_id=head[3], email=head[4], is_admin=bool(head[5]), token_id=head[1],
                    bot_project_id=head[6],
                    function_token=head[6] is not None and head[2].startswith(FUNCTION_TOKEN_PREFIX))
    _add_memberships(access, [(r[0], r[1], r[2]) for r in rows if r[0] != "t"])
    return access


def _add_memberships(access: Access, rows: Iterable[tuple[str, str, str]]) -> None:
    rank = {r: i for i, r in enumerate(PROJECT_ROLES)}
    for kind, id_, role in rows:
        if kind == "o":
            access.org_roles[id_] = role
        else:
            current = access.project_roles.get(id_)
            if current is None or rank[role] < rank[current]:
                access.project_roles[id_] = role


def bearer(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def token_expiry_ok(expires_at: datetime | None) -> bool:
    return expires_at is None or as_utc(expires_at) > utcnow()
