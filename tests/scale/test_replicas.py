"""Two replicas of the gateway (two apps on the same database, each with its own Redis broker): a change committed
through one reaches a GraphQL subscriber connected to the other, once, in commit order."""

from __future__ import annotations

from scale_support import needs_redis
from starlette.testclient import TestClient
from support import subscribers_reach

from labelgraph.app import create_app

pytestmark = needs_redis

SUBSCRIBE = """subscription($d: ID!) { datasetChanged(datasetId: $d) { action resource id item { name } } }"""


def _post(client: TestClient, token: str, query: str, variables: dict) -> dict:
    body = client.post("/graphql", json={"query": query, "variables": variables},
                       headers={"Authorization": f"Bearer {token}"}).json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


def test_a_change_committed_on_one_replica_reaches_a_subscriber_on_another(settings, admin_token, redis_url):
    replica = settings.with_(broker_url=redis_url)
    with TestClient(create_app(replica, migrate=False)) as a, TestClient(create_app(replica, migrate=False)) as b:
        org = _post(b, admin_token, 'mutation { organizationCreate(input: {name: "A"}) { organization { id } } }',
                    {})["organizationCreate"]["organization"]["id"]
        project = _post(b, admin_token, 'mutation($o: ID!) { projectCreate(input: {organizationId: $o, name: "P"})'
                        ' { project { id } } }', {"o": org})["projectCreate"]["project"]["id"]
        dataset = _post(b, admin_token, 'mutation($p: ID!) { datasetCreate(input: {projectId: $p, name: "d"}) '
                        '{ dataset { id } } }', {"p": project})["datasetCreate"]["dataset"]["id"]
        broker = a.app.state.labelgraph["broker"]
        idle = broker.subscriber_count()  # the server's own (the engine follows the queue)
        with a.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {"authorization": f"Bearer {admin_token}"}})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE,
                                                                      "variables": {"d": dataset}}})
            a.portal.call(subscribers_reach, broker, idle + 1)  # in place before the changes commit
            items = "mutation($d: ID!, $n: String!) { itemsCreate(input: {datasetId: $d, items: [{name: $n}]}) " \
                    "{ items { id } } }"
            created = [_post(b, admin_token, items, {"d": dataset, "n": f"{i}.jpg"})["itemsCreate"]["items"][0]["id"]
                       for i in range(3)]
            _post(b, admin_token, "mutation($d: ID!) { datasetDelete(input: {id: $d, confirm: true}) "
                  "{ deletedIds } }", {"d": dataset})  # ends the stream: nothing may come after the three
            got = [ws.receive_json() for _ in range(4)]
            changes = [m["payload"]["data"]["datasetChanged"] for m in got[:3]]
            assert [(c["action"], c["id"]) for c in changes] == [("CREATED", i) for i in created]
            assert got[3] == {"id": "1", "type": "complete"}
