"""The reference platform as an ASGI app (Starlette): protocol v1 over HTTP + JSON.

Handlers are thin: authenticate, read the body within its limits (:mod:`jsonbody`), check it
(:mod:`validate`), then call the plain functions in :mod:`records` and :mod:`blobs` on a database
connection in a worker thread (a fresh SQLite one, or a pooled PostgreSQL one: both drivers block
and the event loop must not). Every refusal is JSON ``{"error", "message_zh", "detail"}`` with a
fitting status; no input is answered 500. What is not the caller's to see answers exactly like
what does not exist (404, "missing", or an id that is simply the caller's own), so nothing leaks.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from officer_app.paths import resources_dir
from officer_app.platform import auth, blobs, jsonbody, memory, records, validate
from officer_app.platform.db import Database
from officer_app.platform.errors import (
    BadRequest,
    NotFound,
    PlatformError,
    RangeMismatch,
    VersionMismatch,
)
from officer_app.platform.runtime import Platform

log = logging.getLogger(__name__)
PROTOCOL_VERSIONS = (1,)
#: Largest push body (200 entries, a transfer's payload carries its case and evidence rows).
MAX_JSON = 32 * 1024 * 1024
#: Largest body of the other JSON requests (a serial-block request, a list of SHA-256).
MAX_SMALL_JSON = 1024 * 1024
MAX_CHECK = 10_000


def _error(exc: PlatformError) -> JSONResponse:
    return JSONResponse(
        {"error": exc.code, "message_zh": exc.message_zh, "detail": exc.detail},
        status_code=exc.status,
    )


def build_app(root: Path, *, training: bool, database: Database | None = None) -> Starlette:
    p = Platform(root, training=training, database=database)

    async def hello(request: Request) -> Response:
        raw = request.query_params.get("versions", "1")
        try:
            offered = {int(v) for v in raw.split(",") if v.strip()}
        except ValueError as exc:
            raise BadRequest("协议版本格式不正确。", raw) from exc
        common = sorted(offered & set(PROTOCOL_VERSIONS))
        if not common:
            raise VersionMismatch(
                f"本软件支持的同步协议版本（{raw}）与平台（{','.join(map(str, PROTOCOL_VERSIONS))}）"
                "不兼容，请升级软件或联系平台管理员。",
                f"client {raw}, platform {PROTOCOL_VERSIONS}",
            )
        return JSONResponse(
            {"protocol": common[-1], "versions": list(PROTOCOL_VERSIONS), "training": p.training}
        )

    async def health(request: Request) -> Response:
        """Database reachable (one query) and blob store writable; nothing about any data."""
        try:
            await p.db(lambda c: c.execute("SELECT 1").fetchone())
            database = "ok"
        except Exception as exc:  # any failure is "not healthy": the log says which
            log.warning("health: database %s", exc)
            database = "unreachable"
        blobs_ok = os.access(p.paths.blobs_dir, os.W_OK) and os.access(p.paths.uploads_dir, os.W_OK)
        body = {"database": database, "blobs": "ok" if blobs_ok else "not writable"}
        ok = database == "ok" and blobs_ok
        body["status"] = "ok" if ok else "unavailable"
        return JSONResponse(body, status_code=200 if ok else 503)

    async def whoami(request: Request) -> Response:
        caller = await p.caller(request)
        return JSONResponse(
            {
                "agency": caller.agency,
                "officer_name": caller.officer_name,
                "token_id": caller.token_id,
                "training": p.training,
            }
        )

    async def push(request: Request) -> Response:
        caller = await p.caller(request)
        raw = await jsonbody.read(request, MAX_JSON)
        async with p.pushes():  # parsing a batch is work too: off the loop, and admitted
            body = await run_in_threadpool(jsonbody.parse, raw)
            del raw
            entries = body.get("entries") if isinstance(body, dict) else None
            if not isinstance(entries, list) or len(entries) > validate.MAX_BATCH:
                raise BadRequest("推送内容格式不正确。", "entries must be a list of <= 200")
            results = await p.write(
                lambda c: records.push(c, caller, entries, training_platform=p.training)
            )
        await run_in_threadpool(memory.trim_soon)
        if p.push_faults > 0:
            p.push_faults -= 1
            return JSONResponse({"error": "unavailable"}, status_code=503)
        return JSONResponse({"results": results})

    async def blobs_check(request: Request) -> Response:
        caller = await p.caller(request)
        shas = validate.sha_request(await jsonbody.read_json(request, MAX_SMALL_JSON), MAX_CHECK)
        return JSONResponse({"missing": await p.db(blobs.missing, caller, shas)})

    async def blob_status(request: Request) -> Response:
        caller = await p.caller(request)
        sha = blobs.check_sha(request.path_params["sha"])
        state = await p.db(lambda c: blobs.status(p.paths, c, caller, sha))
        headers = {
            "Upload-Offset": str(state["held"]),
            "Blob-Complete": str(state["complete"]).lower(),
        }
        if request.method == "HEAD":
            return Response(status_code=200, headers=headers)
        return JSONResponse(state, headers=headers)

    async def blob_put(request: Request) -> Response:
        caller = await p.caller(request)
        sha = blobs.check_sha(request.path_params["sha"])
        finish = blobs.parse_finish(request.headers.get("content-range"))
        if finish is not None:
            return await blob_finish(caller, sha, finish)
        rng = blobs.parse_range(request.headers.get("content-range"))
        async with p.upload_lock(caller, sha):
            state = await p.db(lambda c: blobs.status(p.paths, c, caller, sha))
            if state["complete"]:
                return JSONResponse(state)
            part = blobs.check_start(p.paths, caller, sha, rng)
            # A chunk from byte 0 is hashed as it streams in, so a file sent in one piece is not
            # read back from disk to be verified; a resumed upload is hashed from the file.
            digest = hashlib.sha256() if rng.start == 0 else None
            received = await _append(request, part, rng.length, digest)
            if received != rng.length:
                raise BadRequest(
                    "上传数据长度与 Content-Range 不符。", f"{received} != {rng.length}"
                )
            whole = digest.hexdigest() if digest is not None and rng.length == rng.total else None
            if p.exit_before_publish and rng.end + 1 == rng.total:
                os._exit(70)
            done = await p.write(lambda c: blobs.finish(p.paths, c, caller, sha, rng.total, whole))
            held = rng.total if done else part.stat().st_size
            state = {"sha256": sha, "complete": done, "held": held, "size": held if done else None}
        await run_in_threadpool(memory.trim_soon)
        return JSONResponse(state, status_code=201 if done else 202)

    async def blob_finish(caller: auth.Caller, sha: str, total: int) -> Response:
        """``bytes */TOTAL``: verify and publish what is held (after a crash on either side)."""
        async with p.upload_lock(caller, sha):
            state = await p.db(lambda c: blobs.status(p.paths, c, caller, sha))
            if not state["complete"]:
                held = state["held"]
                if held != total:
                    raise RangeMismatch(
                        f"上传位置不一致：平台已有 {held} 字节，请从该位置续传。",
                        f"finish at {total}, held {held}",
                    )
                await p.write(lambda c: blobs.finish(p.paths, c, caller, sha, total))
                state = {"sha256": sha, "complete": True, "held": total, "size": total}
        return JSONResponse(state, status_code=201)

    async def blob_content(request: Request) -> Response:
        caller = await p.caller(request)
        sha = blobs.check_sha(request.path_params["sha"])
        allowed = await p.db(blobs.has_access, caller.agency, sha)
        path = blobs.blob_path(p.paths, sha)
        if not allowed or not path.is_file():
            raise NotFound("平台上没有该文件。", "blob absent or not visible")
        return FileResponse(path, media_type="application/octet-stream")

    async def pull(request: Request) -> Response:
        caller = await p.caller(request)
        query = request.query_params
        cursor = validate.query_int(query.get("cursor"), 0, 0, validate.MAX_CURSOR, "cursor")
        limit = validate.query_int(query.get("limit"), 100, 1, 500, "limit")
        # A page of up to 500 payloads is rendered in the worker thread too, not on the loop.
        page = await p.db(lambda c: _json(records.pull(c, caller, cursor, limit)))
        return Response(page, media_type="application/json")

    async def transfer(request: Request) -> Response:
        caller = await p.caller(request)
        found = await p.db(records.get_transfer, caller, request.path_params["tid"])
        if found is None:
            raise NotFound("平台上没有该移送记录。", "transfer hidden or absent")
        return JSONResponse(found)

    async def serial_blocks(request: Request) -> Response:
        caller = await p.caller(request)
        ask = validate.block_request(await jsonbody.read_json(request, MAX_SMALL_JSON))
        return JSONResponse(await p.write(records.reserve_block, caller, ask))

    async def code_tables(request: Request) -> Response:
        await p.caller(request)
        return JSONResponse({"tables": await run_in_threadpool(_code_table_editions)})

    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PlatformError)
        return _error(exc)

    async def on_invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, validate.Invalid)
        return _error(BadRequest(exc.message_zh, exc.detail))

    async def on_db_error(request: Request, exc: Exception) -> Response:
        log.error("database error: %s", exc)
        return JSONResponse(
            {"error": "unavailable", "message_zh": "平台暂时无法处理，请稍后重试。", "detail": ""},
            status_code=503,
        )

    routes = [
        Route("/v1/hello", hello, methods=["GET"]),
        Route("/v1/health", health, methods=["GET"]),
        Route("/v1/whoami", whoami, methods=["GET"]),
        Route("/v1/push", push, methods=["POST"]),
        Route("/v1/blobs/check", blobs_check, methods=["POST"]),
        Route("/v1/blobs/{sha}", blob_status, methods=["GET", "HEAD"]),
        Route("/v1/blobs/{sha}", blob_put, methods=["PUT"]),
        Route("/v1/blobs/{sha}/content", blob_content, methods=["GET"]),
        Route("/v1/pull", pull, methods=["GET"]),
        Route("/v1/transfers/{tid}", transfer, methods=["GET"]),
        Route("/v1/serial-blocks", serial_blocks, methods=["POST"]),
        Route("/v1/code-tables", code_tables, methods=["GET"]),
    ]
    from officer_app.platform import witness_api

    routes += witness_api.routes(p, lambda request: jsonbody.read_json(request, MAX_JSON))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await p.db(lambda c: blobs.recover(p.paths, c))  # before the first request
        yield
        p.database.close()  # pooled PostgreSQL connections end cleanly, not by a dropped socket

    handlers: dict[Any, Any] = {PlatformError: on_error, validate.Invalid: on_invalid}
    handlers.update({exc: on_db_error for exc in p.database.unavailable_errors()})
    return Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)


#: Body bytes gathered before handing them to a worker thread to write (and hash).
APPEND_BLOCK = 1024 * 1024


async def _append(request: Request, part: Path, expected: int, digest: Any = None) -> int:
    """Append the request body to ``part``; whatever arrived before a disconnect stays, fsynced.

    ``digest`` (a hashlib object), when given, is fed every byte written. Writing and hashing run
    in worker threads (side by side, both release the GIL) one block behind the socket, so the
    event loop keeps receiving the next block meanwhile; blocks are still written and hashed
    strictly in order, since a block starts only after the previous one is done."""
    loop = asyncio.get_running_loop()
    received, buffer = 0, bytearray()
    busy: list[asyncio.Future[Any]] = []

    async def hand_over(block: bytes) -> None:
        for job in busy:  # the previous block is written and hashed before this one starts
            await job
        busy[:] = [loop.run_in_executor(None, fh.write, block)]
        if digest is not None:
            busy.append(loop.run_in_executor(None, digest.update, block))

    with part.open("ab") as fh:
        try:
            async for chunk in request.stream():
                if received + len(chunk) > expected:
                    raise BadRequest("上传数据超出 Content-Range。", "body longer than range")
                buffer += chunk
                received += len(chunk)
                if len(buffer) >= APPEND_BLOCK:
                    await hand_over(bytes(buffer))
                    buffer.clear()
        except ClientDisconnect:
            log.info("upload of %s interrupted after %d bytes", part.name, received)
        finally:
            if buffer:
                await hand_over(bytes(buffer))
            for job in busy:
                await job
            fh.flush()
            with contextlib.suppress(OSError):
                os.fsync(fh.fileno())
    return received


def _json(value: Any) -> bytes:
    """What :class:`JSONResponse` would send, made wherever the caller runs (a worker thread)."""
    return json.dumps(
        value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def _code_table_editions() -> dict[str, dict[str, str]]:
    out = {}
    for path in sorted((resources_dir() / "codes").glob("*.json")):
        raw = path.read_bytes()
        data = json.loads(raw)
        out[str(data.get("table", path.stem))] = {
            "edition": str(data.get("edition", "")),
            "sha256": hashlib.sha256(raw).hexdigest(),
        }
    return out
