"""Identity through the generated client: who am I, tokens (a new token signs a new client in; a revoked one is
refused with a typed UNAUTHENTICATED error), members and roles, bots."""

from __future__ import annotations

import httpx
import pytest

from labelgraph_client import (
    Client,
    ForbiddenError,
    MutationError,
    OrganizationRole,
    ProjectRole,
    UnauthenticatedError,
)


async def test_tokens_sign_clients_in_and_out(app, client: Client):
    me = await client.get_me()
    assert me.email == "admin@labelgraph.local"

    created = await client.create_token(name="laptop", email="ann@example.com")
    assert created.token.startswith("lg_") and created.api_token.user.email == "ann@example.com"
    assert created.api_token.active and created.api_token.hint == created.token[:10]

    async with Client("http://labelgraph.test/graphql", created.token, transport=httpx.ASGITransport(app=app)) as ann:
        assert (await ann.get_me()).email == "ann@example.com"
        tokens = [t.name async for t in ann.iter_nodes(ann.list_my_tokens)]
        assert tokens == ["laptop"]
        revoked = await ann.revoke_token(id=created.api_token.id)
        assert revoked.api_token.active is False and revoked.api_token.revoked_at is not None
        with pytest.raises(UnauthenticatedError) as caught:
            await ann.get_me()
        assert caught.value.code == "UNAUTHENTICATED"


async def test_members_and_roles(app, client: Client):
    org = (await client.create_organization(name="Acme")).organization
    project = (await client.create_project(organization_id=org.id, name="Cars")).project
    ds = (await client.create_dataset(project_id=project.id, name="frames")).dataset

    added = await client.add_organization_member(organization_id=org.id, email="bob@example.com")
    assert added.member.typename__ == "OrganizationMember"
    assert added.member.organization_role is OrganizationRole.MEMBER and added.member.user.email == "bob@example.com"
    member = await client.add_project_member(project_id=project.id, email="bob@example.com",
                                             role=ProjectRole.ANNOTATOR)
    assert member.member.project_role is ProjectRole.ANNOTATOR and member.member.project.id == project.id

    members = await client.list_project_members(project_id=project.id)
    assert {(m.user.email, m.role) for m in members.members.nodes} >= {("bob@example.com", ProjectRole.ANNOTATOR)}
    org_members = [m.user.email async for m in client.iter_nodes(client.list_organization_members,
                                                                  organization_id=org.id, page_size=1)]
    assert "bob@example.com" in org_members

    bob_token = (await client.create_token(name="bob", email="bob@example.com")).token
    async with Client("http://labelgraph.test/graphql", bob_token, transport=httpx.ASGITransport(app=app)) as bob:
        assert (await bob.get_project(id=project.id)).viewer_role is ProjectRole.ANNOTATOR
        assert (await bob.get_organization(id=org.id)).viewer_role is OrganizationRole.MEMBER
        assert [p.name for p in (await bob.list_my_projects()).projects.nodes] == ["Cars"]
        with pytest.raises((ForbiddenError, MutationError)) as refused:  # annotators may not create items
            await bob.update_dataset(id=ds.id, name="mine")
        assert refused.value.code == "FORBIDDEN"

    updated = await client.update_project_member(project_id=project.id, email="bob@example.com",
                                                 role=ProjectRole.ENGINEER)
    assert updated.member.project_role is ProjectRole.ENGINEER
    removed = await client.remove_project_member(project_id=project.id, email="bob@example.com")
    assert removed.removed_id == member.member.id
    assert (await client.remove_organization_member(organization_id=org.id, email="bob@example.com")).removed_id
    with pytest.raises(MutationError) as caught:  # an organization keeps its owner
        await client.update_organization_member(organization_id=org.id, email="admin@labelgraph.local",
                                                role=OrganizationRole.WORKER)
    assert caught.value.errors

    bot = await client.create_bot(project_id=project.id, name="ingest-worker")
    assert bot.token.startswith("lg_") and bot.bot.id.startswith("usr_")
