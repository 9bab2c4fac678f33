"""The data domain through the generated client (labelgraph_client.Client) against the real ASGI app: what a
Python user does — create an organization, a project, a dataset, add items in bulk, list them with filters,
orderings and pages, update metadata — and the errors they get back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from labelgraph_client import (
    AnnotationCreateInput,
    AnnotationType,
    Client,
    DateTimeFilter,
    GraphQLError,
    ItemCreateInput,
    ItemFilter,
    ItemOrder,
    ItemOrderField,
    JSONPathFilter,
    LabelgraphError,
    LimitExceededError,
    MutationError,
    NotFoundError,
    OrderDirection,
    StringFilter,
    UserError,
    iter_nodes,
)

MISSING_DATASET = "ds_01M838RVSWCPB46QHADY8CAD5R"


async def make_dataset(client: Client, name: str = "frames") -> str:
    org = (await client.create_organization(name="Acme")).organization
    project = (await client.create_project(organization_id=org.id, name="Cars", description="street scenes")).project
    dataset = (await client.create_dataset(project_id=project.id, name=name)).dataset
    return dataset.id


async def test_organization_project_dataset(client: Client):
    org = (await client.create_organization(name="Acme")).organization
    assert org.id.startswith("org_") and org.name == "Acme"
    assert isinstance(org.created_at, datetime) and org.created_at.tzinfo is not None

    project = (await client.create_project(organization_id=org.id, name="Cars")).project
    assert project.organization.id == org.id and project.description is None
    payload = await client.create_dataset(project_id=project.id, name="frames", description="dash cams")
    assert payload.errors == []
    dataset = payload.dataset
    assert (dataset.name, dataset.description, dataset.items_count, dataset.project.id) == (
        "frames", "dash cams", 0, project.id)

    fetched = await client.get_dataset(id=dataset.id)
    assert fetched is not None and fetched.id == dataset.id and fetched.metadata == {}
    assert await client.get_dataset(id=MISSING_DATASET) is None

    renamed = (await client.update_dataset(id=dataset.id, name="frames-v2", readonly=True)).dataset
    assert renamed.name == "frames-v2" and renamed.readonly is True and renamed.description == "dash cams"

    projects = await client.list_projects(organization_id=org.id)
    assert projects.projects.total_count == 1 and projects.projects.nodes[0].name == "Cars"
    datasets = await client.list_datasets(project_id=project.id)
    assert [d.name for d in datasets.datasets.nodes] == ["frames-v2"]


async def test_list_organizations(client: Client):
    org = (await client.create_organization(name="Acme")).organization
    organizations = await client.list_organizations(first=10)
    assert org.id in [o.id for o in organizations.nodes]
    assert organizations.total_count >= 1 and organizations.page_info.has_next_page is False
    assert org.id in [o.id async for o in client.iter_nodes(client.list_organizations, page_size=1)]


async def test_node_and_nodes_route_any_id(client: Client):
    ds = await make_dataset(client)
    [item] = (await client.create_items(dataset_id=ds, items=[ItemCreateInput(name="a.jpg")])).items
    node = await client.get_node(id=item.id)
    assert node.typename__ == "Item" and node.filename == "/a.jpg"
    nodes = await client.get_nodes(ids=[ds, MISSING_DATASET, item.id])
    assert [n.typename__ if n else None for n in nodes] == ["Dataset", None, "Item"]
    assert nodes[0].name == "frames"


async def test_items_in_bulk_listed_with_filters_orderings_and_pages(client: Client):
    ds = await make_dataset(client)
    specs = [
        ItemCreateInput(name=f"{i:03}.jpg", dir=f"/{'train' if i % 3 else 'val'}/{i % 2}", mimetype="image/jpeg",
                        metadata={"split": "train" if i % 3 else "val", "score": i})
        for i in range(250)
    ]
    created = await client.create_items(dataset_id=ds, items=specs)
    assert created.errors == [] and len(created.items) == 250
    assert created.items[0].metadata == {"system": {"mimetype": "image/jpeg"}, "user": {"split": "val", "score": 0}}
    assert (await client.get_dataset(id=ds)).items_count == 250

    # one page: the connection carries totalCount and pageInfo
    page = (await client.list_items(dataset_id=ds, first=10, order_by=[ItemOrder(field=ItemOrderField.NAME)])).items
    assert page.total_count == 250 and page.page_info.has_next_page and len(page.nodes) == 10
    assert [n.name for n in page.nodes] == [f"{i:03}.jpg" for i in range(10)]

    # every page, lazily, 40 at a time, newest name first
    names = [item.name async for item in client.iter_nodes(
        client.list_items, dataset_id=ds, page_size=40,
        order_by=[ItemOrder(field=ItemOrderField.NAME, direction=OrderDirection.DESC)],
    )]
    assert names == [f"{i:03}.jpg" for i in reversed(range(250))]

    # filters: a glob on the path and a condition inside metadata
    val = ItemFilter(filename=StringFilter(glob="/val/**"))
    val_names = [item.name async for item in iter_nodes(client.list_items, ds, page_size=30, filter_=val)]
    assert val_names == [f"{i:03}.jpg" for i in range(0, 250, 3)]
    high = ItemFilter(metadata=[JSONPathFilter(path="user.score", gte=240)], dir=StringFilter(eq="/train/1"))
    listed = await client.list_items(dataset_id=ds, filter_=high, order_by=[ItemOrder(field=ItemOrderField.NAME)])
    assert [n.name for n in listed.items.nodes] == ["241.jpg", "245.jpg", "247.jpg"]
    either = ItemFilter(or_=[ItemFilter(name=StringFilter(in_=["001.jpg", "002.jpg"])),
                             ItemFilter(metadata=[JSONPathFilter(path="user.score", eq=3)])])
    listed = await client.list_items(dataset_id=ds, filter_=either, order_by=[ItemOrder(field=ItemOrderField.NAME)])
    assert [n.name for n in listed.items.nodes] == ["001.jpg", "002.jpg", "003.jpg"]

    # DateTime inputs are datetimes
    later = datetime.now(UTC) + timedelta(days=1)
    none_yet = await client.list_items(dataset_id=ds, filter_=ItemFilter(created_at=DateTimeFilter(gt=later)))
    assert none_yet.items.total_count == 0

    # going back a page with last/before
    second = (await client.list_items(dataset_id=ds, first=5, after=page.page_info.end_cursor,
                                      order_by=[ItemOrder(field=ItemOrderField.NAME)])).items
    back = (await client.list_items(dataset_id=ds, last=5, before=second.page_info.start_cursor,
                                    order_by=[ItemOrder(field=ItemOrderField.NAME)])).items
    assert [n.name for n in back.nodes] == [f"{i:03}.jpg" for i in range(5, 10)]


async def test_iter_nodes_reads_only_what_is_consumed(client: Client):
    ds = await make_dataset(client)
    await client.create_items(dataset_id=ds, items=[ItemCreateInput(name=f"{i}.jpg") for i in range(30)])
    calls: list[dict] = []

    async def counted_list_items(*args, **kwargs):
        calls.append(kwargs)
        return await client.list_items(*args, **kwargs)

    seen = []
    async for item in iter_nodes(counted_list_items, dataset_id=ds, page_size=10):
        seen.append(item.name)
        if len(seen) == 15:
            break
    assert len(calls) == 2 and calls[0]["first"] == 10 and calls[0]["after"] is None and calls[1]["after"]


async def test_iter_nodes_of_a_missing_parent_is_not_found(client: Client):
    await make_dataset(client)
    with pytest.raises(NotFoundError):
        [item async for item in client.iter_nodes(client.list_items, dataset_id=MISSING_DATASET)]


async def test_item_update_merges_metadata(client: Client):
    ds = await make_dataset(client)
    [item] = (await client.create_items(dataset_id=ds, items=[
        ItemCreateInput(name="a.jpg", metadata={"split": "train", "score": 1, "keep": True}),
    ])).items
    updated = (await client.update_item(id=item.id, metadata={"score": 2, "keep": None, "new": {"deep": [1, 2]}},
                                        dir="/moved")).item
    assert updated.filename == "/moved/a.jpg"
    assert updated.metadata["user"] == {"split": "train", "score": 2, "new": {"deep": [1, 2]}}
    # arguments left out are not sent: nothing else changes
    again = (await client.update_item(id=item.id, hidden=True)).item
    assert again.hidden is True and again.metadata == updated.metadata and again.filename == "/moved/a.jpg"
    # an empty string clears the description
    described = (await client.update_item(id=item.id, description="blurry")).item
    assert described.description == "blurry"
    assert (await client.update_item(id=item.id, description="")).item.description is None


async def test_payload_errors_raise_mutation_error(client: Client):
    ds = await make_dataset(client)
    await client.create_items(dataset_id=ds, items=[ItemCreateInput(name="taken.jpg", dir="/x")])

    with pytest.raises(MutationError) as caught:
        await client.create_items(dataset_id=ds, items=[ItemCreateInput(name="ok.jpg"),
                                                        ItemCreateInput(name="taken.jpg", dir="x/")])
    error = caught.value
    assert error.code == "DUPLICATE" and error.field_name == "itemsCreate"
    assert error.errors[0].field == ["items", "1", "name"] and "/x/taken.jpg" in error.errors[0].message
    assert "items.1.name" in str(error)

    with pytest.raises(MutationError) as caught:
        await client.create_dataset(project_id=(await client.get_dataset(id=ds)).project.id, name="  ")
    assert caught.value.errors == [UserError(code="INVALID", message="name must not be empty", field=["name"])]

    with pytest.raises(MutationError) as caught:
        await client.create_items(dataset_id=ds, items=[ItemCreateInput(name=f"{i}.jpg") for i in range(1001)])
    assert caught.value.codes == ["LIMIT_EXCEEDED"]
    assert caught.value.errors[0].message == "items takes at most 1000 entries per call, got 1001"
    assert caught.value.errors[0].field == ["items"]

    with pytest.raises(MutationError) as caught:
        await client.delete_dataset(id=ds, confirm=False)
    assert caught.value.code == "INVALID" and caught.value.errors[0].field == ["confirm"]

    # nothing of the rejected batches was written
    assert (await client.get_dataset(id=ds)).items_count == 1
    assert isinstance(caught.value, LabelgraphError)


async def test_payload_errors_returned_when_not_raising(app, admin_token):
    import httpx

    async with Client("http://labelgraph.test/graphql", admin_token, transport=httpx.ASGITransport(app=app),
                      raise_user_errors=False) as client:
        ds = await make_dataset(client)
        payload = await client.create_items(dataset_id=ds, items=[ItemCreateInput(name="a.jpg"),
                                                                   ItemCreateInput(name="a.jpg")])
        assert payload.items == []
        assert [(e.code, e.field) for e in payload.errors] == [("DUPLICATE", ["items", "1", "name"])]


async def test_top_level_errors_are_typed_exceptions(client: Client):
    ds = await make_dataset(client)
    with pytest.raises(LimitExceededError) as caught:
        await client.list_items(dataset_id=ds, first=5000)
    error = caught.value
    assert error.code == "LIMIT_EXCEEDED" and error.extensions["code"] == "LIMIT_EXCEEDED"
    assert error.message == "first must be between 1 and 1000, got 5000"
    assert isinstance(error, GraphQLError) and len(error.errors) == 1

    with pytest.raises(GraphQLError) as caught:  # an invalid document: the server's validation error
        await client.request("query { dataset(id: 1) { nope } }")
    assert "nope" in caught.value.message


async def test_annotations(client: Client):
    ds = await make_dataset(client)
    [item] = (await client.create_items(dataset_id=ds, items=[ItemCreateInput(name="a.jpg")])).items
    box = [{"x": 10, "y": 20}, {"x": 110, "y": 220}]
    created = await client.create_annotations(annotations=[
        AnnotationCreateInput(item_id=item.id, type=AnnotationType.BOX, label="car", coordinates=box,
                              metadata={"conf": 0.9}),
        AnnotationCreateInput(item_id=item.id, type=AnnotationType.CLASSIFICATION, label="day"),
    ])
    box_annotation, label = created.annotations
    assert box_annotation.type_ is AnnotationType.BOX and box_annotation.coordinates == box
    assert box_annotation.item.id == item.id and box_annotation.parent is None

    [child] = (await client.create_annotations(annotations=[
        AnnotationCreateInput(item_id=item.id, type=AnnotationType.POINT, label="car.wheel",
                              coordinates={"x": 12, "y": 200}, parent_id=box_annotation.id),
    ])).annotations
    children = await client.list_annotation_children(annotation_id=box_annotation.id)
    assert [c.id for c in children.children.nodes] == [child.id]

    updated = (await client.update_annotation(id=label.id, label="night", status="reviewed")).annotation
    assert (updated.label, updated.status) == ("night", "reviewed")
    listed = [a.label async for a in client.iter_nodes(client.list_annotations, item_id=item.id, page_size=2)]
    assert sorted(listed) == ["car", "car.wheel", "night"]
    assert (await client.get_item(id=item.id)).annotations_count == 3

    with pytest.raises(MutationError) as caught:
        await client.create_annotations(annotations=[
            AnnotationCreateInput(item_id=item.id, type=AnnotationType.BOX, label="car", coordinates={"x": 1}),
        ])
    assert caught.value.code == "INVALID" and caught.value.errors[0].field[-1] == "coordinates"

    deleted = await client.delete_annotations(ids=[box_annotation.id])
    assert set(deleted.deleted_ids) == {box_annotation.id, child.id}


async def test_deletes_cascade(client: Client):
    ds = await make_dataset(client)
    items = (await client.create_items(dataset_id=ds, items=[ItemCreateInput(name=f"{i}.jpg") for i in range(3)]))
    removed = await client.delete_items(ids=[items.items[0].id])
    assert removed.deleted_ids == [items.items[0].id]
    gone = await client.delete_dataset(id=ds, confirm=True)
    assert ds in gone.deleted_ids and await client.get_dataset(id=ds) is None
