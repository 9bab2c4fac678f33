"""``labelgraph demo``: load a small sample organization into a running gateway, through its GraphQL API."""

from __future__ import annotations

import os
import random
from pathlib import Path

import httpx

ANIMALS = ["cat", "dog", "bird"]


class DemoError(RuntimeError):
    pass


def _token(data_dir: Path) -> str | None:
    if os.environ.get("LABELGRAPH_TOKEN"):
        return os.environ["LABELGRAPH_TOKEN"]
    path = data_dir / "admin-token"
    return path.read_text().strip() if path.exists() else None


async def _call(client: httpx.AsyncClient, url: str, query: str, variables: dict, key: str) -> dict:
    response = await client.post(url, json={"query": query, "variables": variables})
    body = response.json()
    if body.get("errors"):
        raise DemoError(body["errors"][0]["message"])
    payload = body["data"][key]
    if payload.get("errors"):
        raise DemoError(f"{key}: {payload['errors'][0]['message']}")
    return payload


async def load_demo(url: str, items_per_dataset: int = 150, data_dir: Path = Path(".labelgraph")) -> str:
    rng = random.Random(7)
    headers = {}
    token = _token(data_dir)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:
        try:
            org = await _call(client, url, "mutation($n: String!) { organizationCreate(input: {name: $n}) "
                              "{ organization { id } errors { message } } }", {"n": "Demo Org"}, "organizationCreate")
        except httpx.ConnectError:
            raise DemoError(f"no gateway answers at {url}: start it first with `make run`") from None
        project = await _call(
            client, url, "mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: \"Pets\"}) "
            "{ project { id } errors { message } } }", {"o": org["organization"]["id"]}, "projectCreate")
        project_id = project["project"]["id"]
        total_items = total_annotations = 0
        for ds_name, dirs in (("pets-train", ["/train/cats", "/train/dogs", "/train/birds"]),
                              ("pets-val", ["/val"])):
            ds = await _call(client, url, "mutation($p: ID!, $n: String!) { datasetCreate(input: "
                             "{projectId: $p, name: $n}) { dataset { id } errors { message } } }",
                             {"p": project_id, "n": ds_name}, "datasetCreate")
            specs = []
            for i in range(items_per_dataset):
                dir_ = dirs[i % len(dirs)]
                specs.append({"name": f"img-{i:04d}.jpg", "dir": dir_, "mimetype": "image/jpeg",
                              "width": 640, "height": 480,
                              "metadata": {"split": ds_name.split("-")[1], "quality": rng.choice(["good", "blurry"]),
                                           "capturedBy": rng.choice(["cam-1", "cam-2"])}})
            items = (await _call(client, url, "mutation($d: ID!, $it: [ItemCreateInput!]!) { itemsCreate(input: "
                                 "{datasetId: $d, items: $it}) { items { id dir } errors { message } } }",
                                 {"d": ds["dataset"]["id"], "it": specs}, "itemsCreate"))["items"]
            annotations = []
            for item in items:
                if rng.random() < 0.2:
                    continue  # some items stay unannotated
                animal = {"cats": "cat", "dogs": "dog", "birds": "bird"}.get(item["dir"].rsplit("/", 1)[-1]) \
                    or rng.choice(ANIMALS)
                annotations.append({"itemId": item["id"], "type": "CLASSIFICATION", "label": animal,
                                    "coordinates": []})
                for _ in range(rng.randint(1, 3)):
                    x, y = rng.randint(0, 500), rng.randint(0, 350)
                    annotations.append({"itemId": item["id"], "type": "BOX", "label": f"{animal}.head",
                                        "coordinates": [{"x": x, "y": y}, {"x": x + rng.randint(20, 140),
                                                                           "y": y + rng.randint(20, 130)}]})
            for start in range(0, len(annotations), 1000):
                await _call(client, url, "mutation($a: [AnnotationCreateInput!]!) { annotationsCreate(input: "
                            "{annotations: $a}) { errors { message } } }", {"a": annotations[start:start + 1000]},
                            "annotationsCreate")
            total_items += len(items)
            total_annotations += len(annotations)
    return (f"labelgraph demo: organization 'Demo Org', project 'Pets' ({project_id}) with 2 datasets, "
            f"{total_items} items and {total_annotations} annotations.\n"
            f'Try it in GraphiQL with the variables {{"projectId": "{project_id}"}}')
