"""A seeded generator of random valid queries over the types the compiler supports (Organization, Project,
Dataset, Item, Annotation): aliases, duplicate fields, named and inline fragments, variables, connections with
first/after/filter/orderBy, totalCount, pageInfo, edges/cursors, __typename — and now and then a field the
compiler does not describe (it must then fall back) or an argument the resolver path refuses."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

LEAVES = {
    "Organization": ["id", "name", "plan", "createdAt", "updatedAt"],
    "Project": ["id", "name", "description", "metadata", "createdAt", "updatedAt"],
    "Dataset": ["id", "name", "description", "readonly", "itemsCount", "annotatedCount", "metadata", "createdAt",
                "updatedAt"],
    "Item": ["id", "name", "dir", "filename", "type", "hidden", "mimetype", "size", "width", "height", "description",
             "metadata", "annotated", "annotationsCount", "createdAt", "updatedAt"],
    "Annotation": ["id", "type", "label", "coordinates", "attributes", "status", "objectId", "frame", "endFrame",
                   "automated", "description", "metadata", "createdAt", "updatedAt"],
}
TO_ONE = {
    "Project": [("organization", "Organization")],
    "Dataset": [("project", "Project")],
    "Item": [("dataset", "Dataset")],
    "Annotation": [("item", "Item"), ("dataset", "Dataset"), ("parent", "Annotation")],
}
TO_MANY = {
    "Organization": [("projects", "Project")],
    "Project": [("datasets", "Dataset")],
    "Dataset": [("items", "Item")],
    "Item": [("annotations", "Annotation")],
    "Annotation": [("children", "Annotation")],
}
# fields resolvers compute (the compiler falls back when it meets them)
COMPUTED = {
    "Organization": ["viewerRole"],
    "Project": ["viewerRole", "recipes { totalCount }"],
    "Dataset": ["labels { tag }", "recipe { id }", "instanceMap"],
    "Item": ["taskStatuses { status }"],
    "Annotation": [],
}
ORDERS = {
    "Project": ["NAME", "CREATED_AT", "UPDATED_AT"],
    "Dataset": ["NAME", "CREATED_AT", "UPDATED_AT"],
    "Item": ["NAME", "FILENAME", "CREATED_AT", "UPDATED_AT"],
    "Annotation": ["LABEL", "CREATED_AT", "UPDATED_AT"],
}
FILTERS = {
    "Project": ["{name: {glob: \"C*\"}}", "{name: {eq: \"Cars\"}}", "{name: {in: []}}"],
    "Dataset": ["{name: {eq: \"ds-1\"}}", "{readonly: false}", "{name: {ne: \"ds-0\"}}", "{name: {glob: \"\"}}"],
    "Item": ["{name: {eq: \"f1.jpg\"}}", "{dir: {glob: \"/train/**\"}}", "{metadata: [{path: \"user.split\", "
             "eq: \"train\"}]}", "{annotated: true}", "{or: [{name: {eq: \"f0.jpg\"}}, {hidden: true}]}",
             "{not: {dir: {eq: \"/val\"}}}", "{metadata: [{path: \"user.n\", gte: 2}]}",
             "{metadata: [{path: \"bad\", eq: 1}]}", "{filename: {glob: \"/train/*.jpg\"}}"],
    "Annotation": ["{label: {eq: \"car\"}}", "{type: [\"box\"]}", "{label: {in: [\"car\", \"person\"]}}",
                   "{status: {exists: false}}"],
}


@dataclass
class Generated:
    query: str
    variables: dict = field(default_factory=dict)


class QueryGen:
    def __init__(self, seed: int, ids: dict[str, list[str]], cursors: dict[str, list[str]]) -> None:
        self.r = random.Random(seed)
        self.ids = ids  # type name -> ids (including ids of other types and ones out of reach)
        self.cursors = cursors  # "Type:ORDER" -> cursors
        self.fragments: list[str] = []
        self.var_defs: list[str] = []
        self.variables: dict = {}
        self.n = 0

    def name(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def maybe_alias(self, field: str) -> str:
        return f"{self.name('a')}: {field}" if self.r.random() < 0.15 else field

    def selection(self, type_name: str, depth: int) -> str:
        r = self.r
        parts = r.sample(LEAVES[type_name], k=r.randint(1, min(5, len(LEAVES[type_name]))))
        parts = [self.maybe_alias(p) for p in parts]
        if r.random() < 0.2:
            parts.append("__typename")
        if r.random() < 0.1:
            parts.append(parts[0])  # the same field twice merges
        if depth > 0:
            for name, target in TO_ONE.get(type_name, []):
                if r.random() < 0.25:
                    parts.append(f"{self.maybe_alias(name)} {{ {self.selection(target, depth - 1)} }}")
            for name, target in TO_MANY.get(type_name, []):
                if r.random() < 0.5:
                    parts.append(self.connection(name, target, depth - 1, child=True))
        if COMPUTED.get(type_name) and r.random() < 0.04:
            parts.append(r.choice(COMPUTED[type_name]))
        r.shuffle(parts)
        roll = r.random()
        if roll < 0.12:
            frag = self.name("F")
            self.fragments.append(f"fragment {frag} on {type_name} {{ {' '.join(parts)} }}")
            return f"...{frag}"
        if roll < 0.22:
            keep = parts[: len(parts) // 2]
            return " ".join(keep) + f" ... on {type_name} {{ {' '.join(parts[len(parts) // 2:])} }}"
        if roll < 0.25:
            return " ".join(parts) + " ... on Node { id }"
        return " ".join(parts)

    def connection(self, field: str, target: str, depth: int, child: bool) -> str:
        r = self.r
        args = []
        if r.random() < 0.6:
            first = r.choice([1, 2, 3, 5, 50, 0, 1001]) if r.random() < 0.97 else 1001
            if r.random() < 0.3:
                var = self.name("f")
                self.var_defs.append(f"${var}: Int")
                self.variables[var] = first
                args.append(f"first: ${var}")
            else:
                args.append(f"first: {first}")
        order = None
        takes_filters = child and field != "children"
        if takes_filters and target in ORDERS and r.random() < 0.35:
            order = r.choice(ORDERS[target])
            direction = r.choice(["", ", direction: ASC", ", direction: DESC"])
            args.append(f"orderBy: [{{field: {order}{direction}}}]")
            if direction.endswith("DESC"):
                order += "-"
        if takes_filters and target in FILTERS and r.random() < 0.3:
            flt = r.choice(FILTERS[target])
            if r.random() < 0.3:
                var = self.name("v")
                self.var_defs.append(f"${var}: {target}Filter")
                self.variables[var] = _literal_to_json(flt)
                args.append(f"filter: ${var}")
            else:
                args.append(f"filter: {flt}")
        if r.random() < 0.15:
            pool = self.cursors.get(f"{target}:{order or 'CREATED_AT'}") or []
            if pool and r.random() < 0.85:
                args.append(f"after: \"{r.choice(pool)}\"")
            else:
                args.append('after: "bm90IGEgY3Vyc29y"')
        if r.random() < 0.02:
            args.append("last: 2")
        parts = []
        for _ in range(r.randint(1, 3)):
            kind = r.choice(["nodes", "nodes", "edges", "totalCount", "pageInfo", "__typename"])
            if kind == "nodes":
                parts.append(f"{self.maybe_alias('nodes')} {{ {self.selection(target, depth)} }}")
            elif kind == "edges":
                inner = ["cursor"] if r.random() < 0.7 else []
                inner.append(f"node {{ {self.selection(target, depth)} }}")
                if r.random() < 0.2:
                    inner.append("__typename")
                r.shuffle(inner)
                parts.append(f"edges {{ {' '.join(inner)} }}")
            elif kind == "pageInfo":
                info = r.sample(["hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"],
                                k=r.randint(1, 4))
                parts.append(f"pageInfo {{ {' '.join(info)} }}")
            else:
                parts.append(kind)
        arg_text = f"({', '.join(args)})" if args else ""
        return f"{self.maybe_alias(field)}{arg_text} {{ {' '.join(parts)} }}"

    def query(self) -> Generated:
        self.fragments, self.var_defs, self.variables = [], [], {}
        r = self.r
        roots = []
        for _ in range(1 if r.random() < 0.8 else 2):
            kind = r.choice(["organization", "project", "project", "dataset", "dataset", "item", "annotation",
                             "organizations", "node"])
            if kind == "organizations":
                roots.append(self.connection("organizations", "Organization", 3, child=False))
                continue
            if kind == "node":
                var = self.name("id")
                self.var_defs.append(f"${var}: ID!")
                self.variables[var] = r.choice(r.choice(list(self.ids.values())))
                parts = r.sample(["id", "__typename"], k=r.randint(0, 2))
                for type_name in r.sample(list(LEAVES), k=r.randint(1, 3)):
                    parts.append(f"... on {type_name} {{ {self.selection(type_name, 2)} }}")
                roots.append(f"{self.maybe_alias('node')}(id: ${var}) {{ {' '.join(parts)} }}")
                continue
            type_name = kind.capitalize()
            pool = self.ids[type_name] if r.random() < 0.9 else r.choice(list(self.ids.values()))
            var = self.name("id")
            self.var_defs.append(f"${var}: ID!")
            self.variables[var] = r.choice(pool)
            roots.append(f"{self.maybe_alias(kind)}(id: ${var}) {{ {self.selection(type_name, 3)} }}")
        if r.random() < 0.05:
            roots.append("__typename")
        if r.random() < 0.08:  # a root field the compiler does not answer, beside compiled ones
            roots.append(r.choice(["me { email name }", "viewer: me { id organizations { totalCount } }"]))
        defs = f"({', '.join(self.var_defs)})" if self.var_defs else ""
        text = f"query Q{defs} {{ {' '.join(roots)} }}"
        if self.fragments:
            text += "\n" + "\n".join(self.fragments)
        return Generated(text, dict(self.variables))


def _literal_to_json(text: str):
    """The JSON value of one of the GraphQL filter literals above (keys unquoted, enum-free)."""
    import re

    import orjson

    quoted = re.sub(r"([{,]\s*)([A-Za-z_]+):", r'\1"\2":', text)
    return orjson.loads(quoted)
