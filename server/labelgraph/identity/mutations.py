"""Mutations of identity: tokens, members, bots."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.connection import by_id_loader
from labelgraph.graph.errors import UserError
from labelgraph.graph.mapping import ENTITIES
from labelgraph.graph.mutations import run_write
from labelgraph.identity import service
from labelgraph.identity.inputs import (
    BotCreateInput,
    OrganizationMemberAddInput,
    OrganizationMemberRemoveInput,
    OrganizationMemberUpdateInput,
    ProjectMemberAddInput,
    ProjectMemberRemoveInput,
    ProjectMemberUpdateInput,
    TokenCreateInput,
    TokenRevokeInput,
)
from labelgraph.identity.types import ApiToken, Member
from labelgraph.identity.types import User as UserType


@strawberry.type
class TokenCreatePayload:
    token: str | None = strawberry.field(description="The token: shown this once, store it now")
    api_token: ApiToken | None
    errors: list[UserError]


@strawberry.type
class TokenPayload:
    api_token: ApiToken | None
    errors: list[UserError]


@strawberry.type
class MemberPayload:
    member: Member | None
    errors: list[UserError]


@strawberry.type
class MemberRemovePayload:
    removed_id: strawberry.ID | None
    errors: list[UserError]


@strawberry.type
class BotCreatePayload:
    bot: UserType | None
    token: str | None = strawberry.field(description="The bot's token: shown this once")
    errors: list[UserError]


async def _load(info: Info, type_name: str, id_: str | None):
    return None if id_ is None else await by_id_loader(info.context, ENTITIES[type_name]).load(id_)


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="A new API token for you (admins: for any user by email)")
    async def token_create(self, info: Info, input: TokenCreateInput) -> TokenCreatePayload:
        result, errors = await run_write(info, lambda uow: service.create_token(uow, input.name, input.email,
                                                                               input.expires_at))
        token_id, token = result or (None, None)
        return TokenCreatePayload(token=token, api_token=await _load(info, "ApiToken", token_id), errors=errors)

    @strawberry.mutation(description="Revoke a token; it stops working at once")
    async def token_revoke(self, info: Info, input: TokenRevokeInput) -> TokenPayload:
        id_, errors = await run_write(info, lambda uow: service.revoke_token(uow, input.id))
        return TokenPayload(api_token=await _load(info, "ApiToken", id_), errors=errors)

    @strawberry.mutation
    async def organization_member_add(self, info: Info, input: OrganizationMemberAddInput) -> MemberPayload:
        id_, errors = await run_write(info, lambda uow: service.add_org_member(
            uow, input.organization_id, input.email, input.role.value))
        return MemberPayload(member=await _load(info, "OrganizationMember", id_), errors=errors)

    @strawberry.mutation
    async def organization_member_update(self, info: Info, input: OrganizationMemberUpdateInput) -> MemberPayload:
        id_, errors = await run_write(info, lambda uow: service.update_org_member(
            uow, input.organization_id, input.email, input.role.value))
        return MemberPayload(member=await _load(info, "OrganizationMember", id_), errors=errors)

    @strawberry.mutation(description="Remove a member from the organization and all of its projects")
    async def organization_member_remove(self, info: Info, input: OrganizationMemberRemoveInput
                                         ) -> MemberRemovePayload:
        id_, errors = await run_write(info, lambda uow: service.remove_org_member(
            uow, input.organization_id, input.email))
        return MemberRemovePayload(removed_id=id_, errors=errors)

    @strawberry.mutation
    async def project_member_add(self, info: Info, input: ProjectMemberAddInput) -> MemberPayload:
        id_, errors = await run_write(info, lambda uow: service.add_project_member(
            uow, input.project_id, input.email, input.role.value))
        return MemberPayload(member=await _load(info, "ProjectMember", id_), errors=errors)

    @strawberry.mutation
    async def project_member_update(self, info: Info, input: ProjectMemberUpdateInput) -> MemberPayload:
        id_, errors = await run_write(info, lambda uow: service.update_project_member(
            uow, input.project_id, input.email, input.role.value))
        return MemberPayload(member=await _load(info, "ProjectMember", id_), errors=errors)

    @strawberry.mutation
    async def project_member_remove(self, info: Info, input: ProjectMemberRemoveInput) -> MemberRemovePayload:
        id_, errors = await run_write(info, lambda uow: service.remove_project_member(
            uow, input.project_id, input.email))
        return MemberRemovePayload(removed_id=id_, errors=errors)

    @strawberry.mutation(description="A project-scoped service user (engineer) with a token, for workers")
    async def bot_create(self, info: Info, input: BotCreateInput) -> BotCreatePayload:
        result, errors = await run_write(info, lambda uow: service.create_bot(uow, input.project_id, input.name))
        user_id, token = result or (None, None)
        return BotCreatePayload(bot=await _load(info, "User", user_id), token=token, errors=errors)
