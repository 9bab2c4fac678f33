"""The workflow slice through the generated client: a task split by load, statuses, progress, pages of items."""

from __future__ import annotations

from labelgraph_client import Client, ItemCreateInput, ProjectRole, StringFilter, TaskCreateInput, WorkloadInput


async def test_task_statuses_and_progress(client: Client):
    org = (await client.create_organization(name="Acme")).organization
    project = (await client.create_project(organization_id=org.id, name="Cars")).project
    ds = (await client.create_dataset(project_id=project.id, name="frames")).dataset
    items = (await client.create_items(dataset_id=ds.id, items=[ItemCreateInput(name=f"{i:02d}.jpg")
                                                                for i in range(30)])).items
    for email in ("ann@x.test", "bob@x.test"):
        await client.add_project_member(project_id=project.id, email=email, role=ProjectRole.ANNOTATOR)
    task = (await client.create_task(input=TaskCreateInput(dataset_id=ds.id, name="Boxes", assignees=[
        WorkloadInput(email="ann@x.test", load=60), WorkloadInput(email="bob@x.test", load=40)]))).task
    assert task.progress.total == 30 and task.progress.done == 0

    assignments = (await client.list_task_assignments(task_id=task.id)).assignments.nodes
    assert {a.annotator.email: a.progress.total for a in assignments} == {"ann@x.test": 18, "bob@x.test": 12}

    done = await client.set_items_status(task_id=task.id, item_ids=[i.id for i in items[:6]], status="completed")
    assert done.task.progress.done == 6 and done.task.progress.percent == 20.0
    completed = [i.name async for i in client.iter_nodes(client.list_task_items, task_id=task.id, page_size=4,
                                                         status=StringFilter(eq="completed"))]
    assert completed == [f"{i:02d}.jpg" for i in range(6)]
    statuses = await client.get_item_task_statuses(item_id=items[0].id)
    assert [(s.status, s.task.name) for s in statuses.task_statuses] == [("completed", "Boxes")]
    assert (await client.delete_task(id=task.id)).deleted_id == task.id
