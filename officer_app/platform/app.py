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
import functools
import hashlib
import json
import logging
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from officer_app.paths import resources_dir
from officer_app.platform import auth, blobs, jsonbody, memory, records, validate
from officer_app.platform.db import Connection, Database
from officer_app.platform.errors import (
    BadRequest,
    NotFound,
    PlatformError,
    RangeMismatch,
    VersionMismatch,
)
from officer_app.platform.runtime import Lease, Platform

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
        await _trim()
        if p.push_faults > 0:
            p.push_faults -= 1
            return JSONResponse({"error": "unavailable"}, status_code=503)
        return JSONResponse({"results": results})

    async def blobs_check(request: Request) -> Response:
        caller = await p.caller(request)
        shas = validate.sha_request(await jsonbody.read_json(request, MAX_SMALL_JSON), MAX_CHECK)
        return JSONResponse({"missing": await p.db(blobs.missing, caller, shas)})

    async def blob_status(request: Request) -> Response:
        def look(conn: Connection, caller: auth.Caller) -> dict[str, Any]:
            return blobs.status(p.paths, conn, caller, blobs.check_sha(request.path_params["sha"]))

        state = await p.as_caller(request, look)
        headers = {
            "Upload-Offset": str(state["held"]),
            "Blob-Complete": str(state["complete"]).lower(),
        }
        if request.method == "HEAD":
            return Response(status_code=200, headers=headers)
        return JSONResponse(state, headers=headers)

    async def blob_put(request: Request) -> Response:
        header = request.headers.get("content-range")

        def start(conn: Connection, caller: auth.Caller, sha: str) -> _Start:
            finish = blobs.parse_finish(header)
            rng = None if finish is not None else blobs.parse_range(header)
            state = blobs.status(p.paths, conn, caller, sha)
            part = None
            if rng is not None and not state["complete"]:
                part = blobs.check_start(p.paths, caller, sha, rng)
            return _Start(finish, rng, state, part)

        async with p.upload_lock(request, start) as lease:
            begun = lease.value
            if begun.finish is not None:
                return await blob_finish(lease, begun.finish)
            if begun.part is None or begun.rng is None:  # already complete
                return JSONResponse(begun.state)
            state = await blob_receive(request, lease, begun.rng, begun.part)
        await _trim()
        return JSONResponse(state, status_code=201 if state["complete"] else 202)

    async def blob_receive(
        request: Request, lease: Lease[_Start], rng: blobs.ContentRange, part: Path
    ) -> dict[str, Any]:
        """The body of one chunk onto ``part``; the file published when it is whole."""
        caller, sha, last = lease.caller, lease.sha, rng.end + 1 == rng.total
        prepare: Callable[[], _Stored]
        if rng.length <= APPEND_BLOCK:  # a photo: written and hashed in one worker call
            body = await _gather(request, part, rng.length)
            prepare = functools.partial(_store, part, body, rng.start == 0 and last)
        else:  # a recording: written block by block as it arrives
            digest = hashlib.sha256() if rng.start == 0 else None
            received = await _append(request, part, rng.length, digest)
            whole = digest.hexdigest() if digest is not None and last else None
            prepare = functools.partial(_appended, part, received, whole)

        def place() -> tuple[_Stored, bool]:
            """The bytes onto the disk and, when the file is whole, verified and moved into
            ``blobs/``: a worker thread holding no database connection."""
            stored = prepare()
            if stored.received != rng.length:  # the client went away: what came stays
                return stored, False
            if p.exit_before_publish and last:
                os._exit(70)
            return stored, blobs.place(p.paths, caller, sha, rng.total, stored.sha256)

        stored, done = await run_in_threadpool(place)
        if done:  # the rows, and the lock given back, in one transaction
            await p.write(blobs.record, caller.agency, sha, rng.total, lease.holder)
            lease.released = True
        if stored.received != rng.length:
            raise BadRequest(
                "上传数据长度与 Content-Range 不符。", f"{stored.received} != {rng.length}"
            )
        held = rng.total if done else stored.held
        return {"sha256": sha, "complete": done, "held": held, "size": held if done else None}

    async def blob_finish(lease: Lease[_Start], total: int) -> Response:
        """``bytes */TOTAL``: verify and publish what is held (after a crash on either side)."""
        state = lease.value.state
        if not state["complete"]:
            held = state["held"]
            if held != total:
                raise RangeMismatch(
                    f"上传位置不一致：平台已有 {held} 字节，请从该位置续传。",
                    f"finish at {total}, held {held}",
                )
            caller, sha = lease.caller, lease.sha
            # a multi-GB part is hashed here: in a worker thread holding no database connection
            if await run_in_threadpool(blobs.place, p.paths, caller, sha, total):
                await p.write(blobs.record, caller.agency, sha, total, lease.holder)
                lease.released = True
                state = {"sha256": sha, "complete": True, "held": total, "size": total}
        return JSONResponse(state, status_code=201)

    async def blob_content(request: Request) -> Response:
        def find(conn: Connection, caller: auth.Caller) -> Path:
            sha = blobs.check_sha(request.path_params["sha"])
            path = blobs.blob_path(p.paths, sha)
            if not blobs.has_access(conn, caller.agency, sha) or not path.is_file():
                raise NotFound("平台上没有该文件。", "blob absent or not visible")
            return path

        return FileResponse(await p.as_caller(request, find), media_type="application/octet-stream")

    async def pull(request: Request) -> Response:
        def page(conn: Connection, caller: auth.Caller) -> bytes:
            query = request.query_params
            cursor = validate.query_int(query.get("cursor"), 0, 0, validate.MAX_CURSOR, "cursor")
            limit = validate.query_int(query.get("limit"), 100, 1, 500, "limit")
            # A page of up to 500 payloads is rendered in the worker thread too, not on the loop.
            return _json(records.pull(conn, caller, cursor, limit))

        return Response(await p.as_caller(request, page), media_type="application/json")

    async def transfer(request: Request) -> Response:
        tid = request.path_params["tid"]
        found = await p.as_caller(request, lambda c, caller: records.get_transfer(c, caller, tid))
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


@dataclass(frozen=True)
class _Start:
    """What an upload finds when it takes the lock: a finish request's size or the chunk's
    range, the file's state, and the part file to append to (``None``: nothing to append)."""

    finish: int | None
    rng: blobs.ContentRange | None
    state: dict[str, Any]
    part: Path | None


@dataclass(frozen=True)
class _Stored:
    """A request's body on disk: its length, the part's size after it, and the whole file's
    hash when the body was the whole file (hashed as it was written, not read back)."""

    received: int
    held: int
    sha256: str | None


async def _gather(request: Request, part: Path, expected: int) -> bytes:
    """A small body, whole, in memory (no thread hop per block): what arrived before a
    disconnect is kept and written like the rest."""
    buffer = bytearray()
    try:
        async for chunk in request.stream():
            if len(buffer) + len(chunk) > expected:
                raise BadRequest("上传数据超出 Content-Range。", "body longer than range")
            buffer += chunk
    except ClientDisconnect:
        log.info("upload of %s interrupted after %d bytes", part.name, len(buffer))
    return bytes(buffer)


def _store(part: Path, body: bytes, whole: bool) -> _Stored:
    """Append a small body to ``part`` and make it durable (a worker thread)."""
    with part.open("ab") as fh:
        fh.write(body)
        _sync(fh)
        held = fh.tell()
    return _Stored(len(body), held, hashlib.sha256(body).hexdigest() if whole else None)


def _appended(part: Path, received: int, whole: str | None) -> _Stored:
    return _Stored(received, part.stat().st_size, whole)


def _sync(fh: BinaryIO) -> None:
    fh.flush()
    with contextlib.suppress(OSError):  # a file system without fsync: the bytes are written
        os.fsync(fh.fileno())


async def _trim() -> None:
    """Give freed memory back now and then (a thread hop only when it is due)."""
    if memory.due():
        await run_in_threadpool(memory.trim_soon)


async def _append(request: Request, part: Path, expected: int, digest: Any = None) -> int:
    """Append the request body to ``part``; whatever arrived before a disconnect stays, fsynced.

    ``digest`` (a hashlib object), when given, is fed every byte written. Opening, writing,
    hashing and syncing run in worker threads (writing and hashing side by side, both release
    the GIL) one block behind the socket, so the event loop keeps receiving the next block
    meanwhile; blocks are still written and hashed strictly in order, since a block starts only
    after the previous one is done."""
    loop = asyncio.get_running_loop()
    received, buffer = 0, bytearray()
    busy: list[asyncio.Future[Any]] = []
    fh = await run_in_threadpool(part.open, "ab")

    async def hand_over(block: bytes) -> None:
        for job in busy:  # the previous block is written and hashed before this one starts
            await job
        busy[:] = [loop.run_in_executor(None, fh.write, block)]
        if digest is not None:
            busy.append(loop.run_in_executor(None, digest.update, block))

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
        try:
            if buffer:
                await hand_over(bytes(buffer))
            for job in busy:
                await job
        finally:
            await run_in_threadpool(_sync_close, fh)
    return received


def _sync_close(fh: BinaryIO) -> None:
    try:
        _sync(fh)
    finally:
        fh.close()


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
