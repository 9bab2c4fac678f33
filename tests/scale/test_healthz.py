"""/healthz names the database and the broker: 200 when both answer, 503 naming the broker when Redis is down (the
replica still starts, so the load balancer can see why it is unhealthy)."""

from __future__ import annotations

import httpx
from scale_support import CLOSED_PORT_URL, needs_redis

from labelgraph.app import create_app
from labelgraph.settings import Settings


def replica_settings(settings: Settings, broker_url: str | None) -> Settings:
    """What `labelgraph serve` reads from its environment, with the test database."""
    env = {"LABELGRAPH_DATA_DIR": str(settings.data_dir), "LABELGRAPH_DATABASE_URL": settings.database_url,
           "LABELGRAPH_EMBEDDED_WORKERS": "0"}
    if broker_url:
        env["LABELGRAPH_BROKER_URL"] = broker_url
    return Settings.from_env(env, admin_token=settings.admin_token)


async def healthz(settings: Settings) -> httpx.Response:
    app = create_app(settings, migrate=False)
    async with (app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://labelgraph.test") as http):
        return await http.get("/healthz")


@needs_redis
async def test_healthz_reports_the_redis_broker_ok(settings, redis_url):
    response = await healthz(replica_settings(settings, redis_url))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "reader": "connected"}


async def test_healthz_is_503_naming_the_broker_when_redis_is_unreachable(settings):
    response = await healthz(replica_settings(settings, CLOSED_PORT_URL))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["database"] == "ok"
    assert body["broker"].startswith("unreachable: Redis at redis://127.0.0.1:1/0"), body
    assert body["reader"] == "reconnecting"


async def test_healthz_with_the_in_process_broker(settings):
    response = await healthz(replica_settings(settings, None))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "memory"}
