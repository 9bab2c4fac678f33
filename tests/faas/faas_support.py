"""Fixtures of the execution-plane tests: a project with the sample package deployed, and runners."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pytest

PACKAGE = """mutation($input: PackageCreateInput!) { packageCreate(input: $input) {
  package { id name revision codebase { type reference checksum }
            modules { name functions { name inputs { name type } } } }
  errors { field code message } } }"""
SERVICE = """mutation($input: ServiceCreateInput!) { serviceCreate(input: $input) {
  service { id name active concurrency maxAttempts executionTimeout moduleName packageRevision }
  errors { field code message } } }"""
TRIGGER = """mutation($input: TriggerCreateInput!) { triggerCreate(input: $input) {
  trigger { id name type active resource actions executionMode filter cron nextFireAt }
  errors { field code message } } }"""
EXECUTE = """mutation($s: ID!, $f: String, $i: JSON) {
  executionCreate(input: {serviceId: $s, functionName: $f, input: $i}) {
  execution { id status version attempts maxAttempts input functionName } errors { field code message } } }"""
EXECUTION = """query($id: ID!) { execution(id: $id) { id version status progress output error attempts maxAttempts
  toTerminate duration workerId input functionName latestStatus { status percentComplete message timestamp }
  statusLog { status percentComplete message timestamp } service { id } trigger { id } } }"""
CLAIM = """mutation($w: String!, $s: [ID!], $m: Int!, $l: Float! = 30) { executionsClaim(input: {workerId: $w,
  serviceIds: $s, max: $m, leaseSeconds: $l}) { claims { resolvedInput leaseSeconds execution { id status version
  attempts } } errors { field code message } } }"""

BASIC_FUNCTIONS = [
    {"name": "noop"},
    {"name": "echo", "inputs": [{"type": "JSON", "name": "config", "defaultValue": None}]},
    {"name": "sleep", "inputs": [{"type": "FLOAT", "name": "seconds"}]},
    {"name": "block", "inputs": [{"type": "FLOAT", "name": "seconds"}]},
    {"name": "fail", "inputs": [{"type": "STRING", "name": "message", "defaultValue": "boom"}]},
    {"name": "describe", "inputs": [{"type": "ITEM"}]},
    {"name": "record", "inputs": [{"type": "STRING", "name": "path"}]},
]


@dataclass
class Faas:
    project: str
    dataset: str
    package: str
    service: str


async def deploy(gql, project_id: str, name: str = "basic", **service) -> tuple[str, str]:
    data = await gql(PACKAGE, {"input": {
        "projectId": project_id, "name": name,
        "codebase": {"type": "IMPORT", "reference": "labelgraph.samples.basic:Basic"},
        "modules": [{"name": "default_module", "functions": BASIC_FUNCTIONS}]}})
    assert data["packageCreate"]["errors"] == [], data
    package_id = data["packageCreate"]["package"]["id"]
    data = await gql(SERVICE, {"input": {"packageId": package_id, "name": name, **service}})
    assert data["serviceCreate"]["errors"] == [], data
    return package_id, data["serviceCreate"]["service"]["id"]


@pytest.fixture
async def faas(gql, build) -> Faas:
    project = await build.project()
    dataset = await build.dataset(project)
    package, service = await deploy(gql, project)
    return Faas(project, dataset, package, service)


async def execute(gql, service_id: str, function: str = "noop", input_: dict | None = None) -> dict:
    data = await gql(EXECUTE, {"s": service_id, "f": function, "i": input_ or {}})
    assert data["executionCreate"]["errors"] == [], data
    return data["executionCreate"]["execution"]


async def get_execution(gql, id_: str) -> dict:
    return (await gql(EXECUTION, {"id": id_}))["execution"]


async def wait_for(gql, id_: str, statuses: set[str], timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        exe = await get_execution(gql, id_)
        if exe["status"] in statuses:
            return exe
        if time.monotonic() > deadline:
            raise AssertionError(f"execution {id_} still {exe['status']} after {timeout} s: {exe}")
        await asyncio.sleep(0.05)


async def executions_of(gql, service_id: str) -> list[dict]:
    data = await gql("""query($s: ID!) { service(id: $s) { executions(first: 1000) { totalCount nodes { id status
      input attempts trigger { id } } } } }""", {"s": service_id})
    return data["service"]["executions"]["nodes"]
