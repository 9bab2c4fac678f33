"""A sample package: classifies each item it receives and writes the result back.

Deploy it with the codebase ``{type: IMPORT, reference: "labelgraph.samples.classifier:Classifier"}`` and a
function ``classify(item: Item)``; a trigger on ITEM CREATED runs it on every new item. The function receives
the item itself (id, datasetId, name, filename, mimetype, metadata …), adds a CLASSIFICATION annotation with
the label and records it in the item's metadata.user.classifiedAs. For an image it also reads the item's bytes
(``context.client.read_item_content``) and records the size Pillow finds in them in metadata.user.pixels.
"""

from __future__ import annotations

import io
from typing import Any

from labelgraph_client import AnnotationCreateInput, AnnotationType


class Classifier:
    def __init__(self, labels: dict[str, str] | None = None, default: str = "other") -> None:
        # the service's initParams: {"labels": {"cat": "cat", "dog": "dog"}, "default": "other"}
        self.labels = labels or {"cat": "cat", "dog": "dog", "car": "vehicle"}
        self.default = default

    def label_of(self, item: dict[str, Any]) -> str:
        name = item["name"].lower()
        return next((label for word, label in self.labels.items() if word in name), self.default)

    async def classify(self, item: dict[str, Any], context) -> dict[str, Any]:
        label = self.label_of(item)
        await context.progress(50, f"{item['filename']} looks like {label}")
        await context.client.create_annotations(annotations=[AnnotationCreateInput(
            item_id=item["id"], type=AnnotationType.CLASSIFICATION, label=label, coordinates=[])])
        metadata: dict[str, Any] = {"classifiedAs": label}
        result: dict[str, Any] = {"itemId": item["id"], "label": label}
        if str(item.get("mimetype") or "").startswith("image/"):
            from PIL import Image

            content = await context.client.read_item_content(item["id"])
            with Image.open(io.BytesIO(content)) as image:
                metadata["pixels"] = result["pixels"] = list(image.size)
        await context.client.update_item(id=item["id"], metadata=metadata)
        return result
