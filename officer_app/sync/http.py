"""The protocol-v1 client over httpx: one place that knows URLs, headers and error mapping.

TLS is verified (httpx's default, certifi roots); plain ``http://`` is accepted only for a loopback
host, for tests and a platform on the same machine. The token goes only into the Authorization
header; httpx's own loggers are kept at WARNING so no request line with secrets ever reaches a log.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from officer_app.sync.errors import (
    InsecureServerError,
    RefusedError,
    SyncError,
    TransientSyncError,
)

if TYPE_CHECKING:
    import httpx

CLIENT_VERSIONS = (1,)
TIMEOUT_ENV = "OFFICER_APP_SYNC_TIMEOUT_S"
for _name in ("httpx", "httpcore"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def normalise_server(url: str) -> str:
    """``https://host[:port]`` (or loopback ``http``) without a trailing slash; else refused."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise InsecureServerError(f"平台地址不正确：{url}", f"bad url {url!r}")
    if parts.scheme == "http" and not _loopback(host):
        raise InsecureServerError(
            "平台地址必须使用 https 加密连接（仅本机测试地址可用 http）。", f"plain http to {host}"
        )
    return f"{parts.scheme}://{parts.netloc}".rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refusal(response: Any) -> RefusedError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = body.get("message_zh") or f"平台拒绝了请求（HTTP {response.status_code}）。"
    return RefusedError(
        message,
        f"HTTP {response.status_code} {body.get('error', '')}: {body.get('detail', '')}",
        status=response.status_code,
        error=str(body.get("error", "")),
    )


class PlatformClient:
    """One HTTP connection pool to one platform; close it (or use ``with``)."""

    def __init__(self, server: str, token: str | None, *, timeout: float | None = None) -> None:
        import httpx

        self.server = normalise_server(server)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        seconds = timeout or float(os.environ.get(TIMEOUT_ENV, "30"))
        self._http = httpx.Client(base_url=self.server, headers=headers, timeout=seconds)
        #: Upload chunk size, adapted during one run by :func:`officer_app.services.sync_run.upload_blob`.
        self.upload_chunk = 1024 * 1024

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PlatformClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        import httpx

        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise TransientSyncError(
                "连接平台超时，稍后将重试。", f"{method} {path}: timeout"
            ) from exc
        except httpx.TransportError as exc:
            raise TransientSyncError(
                "无法连接同步平台，请检查网络后重试。", f"{method} {path}: {type(exc).__name__}"
            ) from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientSyncError(
                "同步平台暂时不可用，稍后将重试。", f"{method} {path}: HTTP {response.status_code}"
            )
        if response.status_code >= 400:
            raise _refusal(response)
        return response

    def request_json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """The platform's answer, which protocol v1 always makes a JSON object: anything else (a
        proxy's HTML page, a cut-off body) is one plain message, not a KeyError in the engine."""
        response = self.request(method, path, **kwargs)
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise SyncError(
                "平台返回的数据格式不正确。",
                f"{method} {path}: HTTP {response.status_code}, body is not a JSON object",
            )
        return body

    # Protocol ------------------------------------------------------------------------------------
    def hello(self) -> dict[str, Any]:
        versions = ",".join(map(str, CLIENT_VERSIONS))
        return self.request_json("GET", "/v1/hello", params={"versions": versions})

    def whoami(self) -> dict[str, Any]:
        return self.request_json("GET", "/v1/whoami")

    def push(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = self.request_json(
            "POST", "/v1/push", json={"entries": entries}
        )["results"]
        return results

    def missing_blobs(self, shas: list[str]) -> list[str]:
        missing: list[str] = self.request_json("POST", "/v1/blobs/check", json={"sha256": shas})[
            "missing"
        ]
        return missing

    def blob_offset(self, sha: str) -> tuple[int, bool]:
        response = self.request("HEAD", f"/v1/blobs/{sha}")
        return int(response.headers["Upload-Offset"]), response.headers["Blob-Complete"] == "true"

    def put_chunk(self, sha: str, data: bytes, start: int, total: int) -> dict[str, Any]:
        headers = {
            "Content-Range": f"bytes {start}-{start + len(data) - 1}/{total}",
            "Content-Type": "application/octet-stream",
        }
        return self.request_json("PUT", f"/v1/blobs/{sha}", content=data, headers=headers)

    def finish_upload(self, sha: str, total: int) -> dict[str, Any]:
        """Ask the platform to verify and publish the ``total`` bytes it holds of ``sha``."""
        headers = {"Content-Range": f"bytes */{total}"}
        return self.request_json("PUT", f"/v1/blobs/{sha}", content=b"", headers=headers)

    def download(self, sha: str, target: Path) -> None:
        """Stream a blob to ``target`` (the caller verifies the hash)."""
        import httpx

        try:
            with self._http.stream("GET", f"/v1/blobs/{sha}/content") as response:
                if response.status_code >= 400:
                    response.read()
                    if response.status_code >= 500:
                        raise TransientSyncError(
                            "下载证据文件失败，稍后重试。", f"HTTP {response.status_code}"
                        )
                    raise _refusal(response)
                with target.open("wb") as fh:
                    for block in _iter(response):
                        fh.write(block)
        except httpx.TransportError as exc:
            raise TransientSyncError("下载证据文件中断，稍后重试。", type(exc).__name__) from exc

    def pull(self, cursor: int, limit: int = 100) -> dict[str, Any]:
        return self.request_json("GET", "/v1/pull", params={"cursor": cursor, "limit": limit})

    def reserve_block(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.request_json("POST", "/v1/serial-blocks", json=body)

    def code_tables(self) -> dict[str, Any]:
        return self.request_json("GET", "/v1/code-tables")


def _iter(response: Any) -> Iterator[bytes]:
    yield from response.iter_bytes(65536)
