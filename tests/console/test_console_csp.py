"""The console's Content-Security-Policy and item content on S3: presigned URLs point at the S3 endpoint, so the
pages (the console at / and GraphiQL at /graphql) allow images and media from that origin, and from nowhere else
when the store is local. The origin is compared with a URL the store really presigns."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx
import pytest

from labelgraph.app import create_app
from labelgraph.storage.store import Storage

PAGES = {"/": {}, "/graphql": {"accept": "text/html"}}


async def policies(settings) -> dict[str, dict[str, list[str]]]:
    """path -> directive -> sources, as served by the app for ``settings``."""
    app = create_app(settings, migrate=False)
    found = {}
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                                                   base_url="http://gateway.test") as http:
        for path, headers in PAGES.items():
            response = await http.get(path, headers=headers)
            assert response.status_code == 200, path
            found[path] = {d.split()[0]: d.split()[1:] for d in
                           (p.strip() for p in response.headers["content-security-policy"].split(";")) if d}
    return found


async def presigned_origin(settings) -> str:
    parsed = urlparse(await Storage(settings).presign("GET", "blobs/ab/" + "ab" * 32, 60))
    return f"{parsed.scheme}://{parsed.netloc}"


S3 = {"s3_access_key_id": "test", "s3_secret_access_key": "test"}  # static: signing is then a computation


@pytest.mark.parametrize("s3", [
    {"s3_endpoint": "http://127.0.0.1:9000", "s3_region": "us-east-1"},  # MinIO, moto… (path-style URLs)
    {"s3_endpoint": "https://objects.example.com:8443/", "s3_region": "eu-west-1"},
    {"s3_region": "eu-west-1"},  # AWS itself
], ids=["endpoint-http", "endpoint-https", "aws"])
async def test_the_pages_allow_images_and_media_from_the_origin_s3_urls_are_presigned_on(settings, s3):
    s3_settings = settings.with_(storage_url="s3://labelgraph-bucket/some/prefix", **S3, **s3)
    origin = await presigned_origin(s3_settings)
    if "s3_endpoint" in s3:
        assert origin == s3["s3_endpoint"].removesuffix("/")
    else:
        assert origin.startswith("https://") and origin.endswith(".amazonaws.com")
    for path, policy in (await policies(s3_settings)).items():
        assert policy["img-src"] == ["'self'", "data:", "blob:", origin], path
        assert policy["media-src"] == ["'self'", "blob:", origin], path
        # nothing else opens up: scripts, styles, fetches and frames stay on the gateway
        assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"], path
        assert policy["connect-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"], path


async def test_on_local_storage_the_pages_allow_nothing_outside_the_gateway(settings):
    for path, policy in (await policies(settings)).items():
        assert policy["img-src"] == ["'self'", "data:", "blob:"], path
        assert policy["media-src"] == ["'self'", "blob:"], path
        sources = {s for values in policy.values() for s in values}
        assert not {s for s in sources if "://" in s}, path
