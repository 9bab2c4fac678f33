"""The data slice's filterable resources (graph/filterspec.py): the fields a typed filter, a DQL document or a
trigger filter may name, with their columns and kinds; and the records item and annotation events carry (every
field a filter can name). No GraphQL here: the services import it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from labelgraph.data.models import Annotation, Dataset, Item
from labelgraph.graph import filterspec as fs

_dataset = Dataset.__table__
_item = Item.__table__
_annotation = Annotation.__table__

DATASET = fs.register(fs.Resource("dataset", _dataset, {
    "id": fs.Field("id", "string"),
    "name": fs.Field("name", "string"),
    "readonly": fs.Field("readonly", "bool"),
    "createdAt": fs.Field("created_at", "datetime"),
    "updatedAt": fs.Field("updated_at", "datetime"),
}))

ITEM = fs.register(fs.Resource("item", _item, {
    "id": fs.Field("id", "string"),
    "datasetId": fs.Field("dataset_id", "string"),
    "name": fs.Field("name", "string"),
    "dir": fs.Field("dir", "string", paths=True),
    "filename": fs.Field("filename", "string", paths=True),
    "type": fs.Field("type", "string"),
    "mimetype": fs.Field("mimetype", "string", nullable=True),
    "hidden": fs.Field("hidden", "bool"),
    "annotated": fs.Field("annotated", "bool"),
    "createdAt": fs.Field("created_at", "datetime"),
    "updatedAt": fs.Field("updated_at", "datetime"),
    "metadata": fs.Field("metadata", "json"),
    "split": fs.Field("split", "string", nullable=True),
}, joins={"annotations": fs.JoinSpec("annotation", "id", "item_id", same=(("dataset_id", "dataset_id"),))},
    md_values=True))

ANNOTATION = fs.register(fs.Resource("annotation", _annotation, {
    "id": fs.Field("id", "string"),
    "itemId": fs.Field("item_id", "string"),
    "datasetId": fs.Field("dataset_id", "string"),
    "label": fs.Field("label", "string"),
    "type": fs.Field("type", "string"),
    "status": fs.Field("status", "string", nullable=True),
    "createdAt": fs.Field("created_at", "datetime"),
    "updatedAt": fs.Field("updated_at", "datetime"),
    "metadata": fs.Field("metadata", "json"),
}, joins={"item": fs.JoinSpec("item", "item_id", "id", same=(("dataset_id", "dataset_id"),))}))


def item_record(r: Any) -> dict[str, Any]:
    """An item row (a mapping of column → value) as the filter evaluator reads it: what item events carry, so
    a trigger filter can name every field a list filter can (datetimes as ISO strings)."""
    return {name: _plain(r[f.column]) for name, f in ITEM.fields.items() if f.column in r}


def annotation_record(r: Any) -> dict[str, Any]:
    return {name: _plain(r[f.column]) for name, f in ANNOTATION.fields.items() if f.column in r}


def records(resource: fs.Resource, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``item_record``/``annotation_record`` of each of ``rows`` (dicts with the same keys: what a bulk create
    inserts), the same records with the per-row work cut to the copying: the fields looked up once, a datetime
    shared by the rows (their ``created_at``) turned into text once."""
    if not rows:
        return []
    pairs = [(name, f.column) for name, f in resource.fields.items() if f.column in rows[0]]
    texts: dict[int, str] = {}
    out = []
    for r in rows:
        record = {}
        for name, column in pairs:
            v = r[column]
            if isinstance(v, datetime):
                text = texts.get(id(v))
                if text is None:
                    text = texts[id(v)] = v.isoformat()  # the rows hold v: its id stays its own meanwhile
                v = text
            record[name] = v
        out.append(record)
    return out


def _plain(v: Any) -> Any:
    return v.isoformat() if isinstance(v, datetime) else v
