"""Mutations of identity: tokens, members, bots."""

from __future__ import annotations

import strawberry

from labelgraph.context import Info
from labelgraph.graph.errors import UserError
from labelgraph.graph.mutations import command_from, mutate, node, value
from labelgraph.identity import service
from labelgraph.identity.commands import (
    BotCreate,
    OrganizationMemberRemove,
    OrganizationMemberSet,
    ProjectMemberRemove,
    ProjectMemberSet,
    TokenCreate,
    TokenRevoke,
)
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


def _pair(index: int):
    """One part of a service's (id, token) result."""
    return lambda result: result[index]


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="A new API token for you (admins: for any user by email)")
    async def token_create(self, info: Info, input: TokenCreateInput) -> TokenCreatePayload:
        return await mutate(info, TokenCreatePayload, service.create_token, command_from(TokenCreate, input),
                            token=value(_pair(1)), api_token=node("ApiToken", _pair(0)))

    @strawberry.mutation(description="Revoke a token; it stops working at once")
    async def token_revoke(self, info: Info, input: TokenRevokeInput) -> TokenPayload:
        return await mutate(info, TokenPayload, service.revoke_token, TokenRevoke(id=input.id),
                            api_token=node("ApiToken"))

    @strawberry.mutation
    async def organization_member_add(self, info: Info, input: OrganizationMemberAddInput) -> MemberPayload:
        return await mutate(info, MemberPayload, service.add_org_member, command_from(OrganizationMemberSet, input),
                            member=node("OrganizationMember"))

    @strawberry.mutation
    async def organization_member_update(self, info: Info, input: OrganizationMemberUpdateInput) -> MemberPayload:
        return await mutate(info, MemberPayload, service.update_org_member,
                            command_from(OrganizationMemberSet, input), member=node("OrganizationMember"))

    @strawberry.mutation(description="Remove a member from the organization and all of its projects")
    async def organization_member_remove(self, info: Info, input: OrganizationMemberRemoveInput
                                         ) -> MemberRemovePayload:
        return await mutate(info, MemberRemovePayload, service.remove_org_member,
                            command_from(OrganizationMemberRemove, input), removed_id=value())

    @strawberry.mutation
    async def project_member_add(self, info: Info, input: ProjectMemberAddInput) -> MemberPayload:
        return await mutate(info, MemberPayload, service.add_project_member, command_from(ProjectMemberSet, input),
                            member=node("ProjectMember"))

    @strawberry.mutation
    async def project_member_update(self, info: Info, input: ProjectMemberUpdateInput) -> MemberPayload:
        return await mutate(info, MemberPayload, service.update_project_member,
                            command_from(ProjectMemberSet, input), member=node("ProjectMember"))

    @strawberry.mutation
    async def project_member_remove(self, info: Info, input: ProjectMemberRemoveInput) -> MemberRemovePayload:
        return await mutate(info, MemberRemovePayload, service.remove_project_member,
                            command_from(ProjectMemberRemove, input), removed_id=value())

    @strawberry.mutation(description="A project-scoped service user (engineer) with a token, for workers")
    async def bot_create(self, info: Info, input: BotCreateInput) -> BotCreatePayload:
        return await mutate(info, BotCreatePayload, service.create_bot, command_from(BotCreate, input),
                            bot=node("User", _pair(0)), token=value(_pair(1)))
