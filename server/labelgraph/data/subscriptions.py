"""Subscriptions of the data domain: ``datasetChanged`` streams item and annotation changes of one dataset, so
collaborative frontends stay current. Changes arrive after commit, in commit order."""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator

import strawberry

from labelgraph.context import Info
from labelgraph.data.types import Annotation, Item
from labelgraph.errors import Refused
from labelgraph.events.broker import BrokerOverflow
from labelgraph.events.outbox import project_topic
from labelgraph.graph.errors import to_graphql_error
from labelgraph.graph.node import load_typed
from labelgraph.graph.relations import load_one


@strawberry.enum
class ChangeAction(enum.Enum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


@strawberry.enum
class ChangedResource(enum.Enum):
    ITEM = "item"
    ANNOTATION = "annotation"


@strawberry.type(description="One committed change of an item or annotation in a dataset")
class DatasetChange:
    action: ChangeAction
    resource: ChangedResource
    id: strawberry.ID = strawberry.field(description="The id of the item or annotation that changed")
    item: Item | None = strawberry.field(description="The item (for an annotation: its item); null once deleted")
    annotation: Annotation | None = strawberry.field(description="The annotation; null for item changes or "
                                                     "once deleted")


@strawberry.type
class DataSubscription:
    @strawberry.subscription(description="Item and annotation changes of a dataset, as they commit. Ends when the "
                             "dataset is deleted. A subscriber that falls 1,000 changes behind is cut off with "
                             "LIMIT_EXCEEDED and should resubscribe (and re-read the dataset).")
    async def dataset_changed(self, info: Info, dataset_id: strawberry.ID) -> AsyncGenerator[DatasetChange, None]:
        ctx = info.context
        dataset = await load_typed(info, "Dataset", dataset_id)
        if dataset is None:  # subscription errors are not shaped by the schema extension: shape them here
            raise to_graphql_error(Refused("NOT_FOUND", f"no dataset with id {dataset_id!r}"))
        async with ctx.broker.subscribe(project_topic(dataset.project_id)) as events:
            try:
                async for event in events:
                    resource, action = event["resource"], event["action"]
                    if resource == "dataset" and event["entityId"] == dataset_id and action == "deleted":
                        return
                    if resource not in ("item", "annotation") or event["payload"].get("datasetId") != dataset_id:
                        continue
                    ctx._loaders.clear()  # read the state as committed now, not as cached earlier
                    entity_id = event["entityId"]
                    annotation = None
                    if resource == "annotation" and action != "deleted":
                        annotation = await load_one(info, "Annotation", entity_id)
                    item_id = entity_id if resource == "item" else event["payload"].get("itemId")
                    item = None if resource == "item" and action == "deleted" else await load_one(info, "Item",
                                                                                                    item_id)
                    yield DatasetChange(action=ChangeAction(action), resource=ChangedResource(resource),
                                        id=entity_id, item=item, annotation=annotation)
            except BrokerOverflow:
                raise to_graphql_error(Refused(
                    "LIMIT_EXCEEDED", "this subscription fell more than 1,000 changes behind and was stopped: "
                    "resubscribe and re-read the dataset")) from None
