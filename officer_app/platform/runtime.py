"""The running platform's shared state: its database pool, the single SQLite writer queue, caller
authentication and the per-file upload locks, used by every route (:mod:`app`, :mod:`witness_api`).

Apart from :mod:`app` so that route modules can be typed against it without importing the module
that registers them (which would be an import cycle).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from officer_app.platform import auth, blobs
from officer_app.platform.db import POOL_SIZE, Connection, Database, PlatformPaths, retrying
from officer_app.platform.errors import Busy

T = TypeVar("T")
#: How long a second upload of the same file waits for the first before it is answered 429.
UPLOAD_WAIT_S = 20.0
#: Pushes a worker parses, checks and stores at once; the others wait their turn on the event
#: loop, holding no thread. A push is Python work that holds the GIL for milliseconds per batch:
#: a dozen at once left every other request (hello, pull, blobs/check) waiting for the GIL and the
#: database slots behind them (issue 20). Two keep the database busy (one parses while the other
#: waits for its commit) and leave the rest of the slots to the requests that touch no lock.
PUSH_SLOTS = 2
#: Test-only fault hooks: ``push_5xx:N`` answers the first N pushes with 503 *after* committing
#: them, i.e. the receipt is lost on the way back (the retry must then be told "duplicate");
#: ``exit_before_publish`` ends the process when an upload's last byte is on disk, before the file
#: is verified and published (the crash that left parts stuck before issue 16).
FAULT_ENV = "OFFICER_APP_PLATFORM_FAULT"


@dataclass
class Lease(Generic[T]):
    """An upload lock held by one request: who asked, the lease's holder name, what was read
    under the lock when it was taken, and whether a change already gave it back."""

    caller: auth.Caller
    sha: str
    holder: str
    value: T
    released: bool = False


class Platform:
    def __init__(self, root: Path, *, training: bool, database: Database | None = None) -> None:
        self.paths = PlatformPaths(root)
        self.database = database or Database.for_platform(self.paths)
        self.training = training
        self._semaphore: asyncio.Semaphore | None = None
        self._pushes: asyncio.Semaphore | None = None
        self._writer: asyncio.Lock | None = None
        fault = os.environ.get(FAULT_ENV, "")
        self.push_faults = int(fault.split(":", 1)[1]) if fault.startswith("push_5xx:") else 0
        self.exit_before_publish = fault == "exit_before_publish"

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(conn, *args)`` in a worker thread, on a pooled connection.

        At most :data:`db.POOL_SIZE` calls run at once (the rest wait here, on the event loop,
        holding no thread), so the pool never opens and closes extra connections and requests
        that touch no database (hello) always find the loop free."""

        def call() -> T:
            return retrying(self.database, lambda conn: fn(conn, *args))

        async with self._slots():
            return await run_in_threadpool(call)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """A change. SQLite has one writer: changes queue here in arrival order instead of
        polling the file lock (which let some wait past the busy timeout under load);
        PostgreSQL changes run side by side, each locking only what it must (:mod:`db`)."""
        if self.database.dialect != "sqlite":
            return await self.db(fn, *args)
        if self._writer is None:
            self._writer = asyncio.Lock()
        async with self._writer:
            return await self.db(fn, *args)

    def _slots(self) -> asyncio.Semaphore:
        if self._semaphore is None:  # made inside the running loop
            self._semaphore = asyncio.Semaphore(POOL_SIZE)
        return self._semaphore

    def pushes(self) -> asyncio.Semaphore:
        """Admission of pushes (:data:`PUSH_SLOTS` at once), in arrival order."""
        if self._pushes is None:  # made inside the running loop
            self._pushes = asyncio.Semaphore(PUSH_SLOTS)
        return self._pushes

    async def caller(self, request: Request) -> auth.Caller:
        header = request.headers.get("authorization")
        return await self.db(auth.authenticate, header)

    async def as_caller(self, request: Request, fn: Callable[..., T], *args: Any) -> T:
        """``fn(conn, caller, *args)`` for the request's caller, authenticated in the same worker
        call: one thread hop and one pooled connection per request, not two (under load each
        hop made the event loop wait for the GIL, issue 20)."""
        header = request.headers.get("authorization")
        return await self.db(lambda conn: fn(conn, auth.authenticate(conn, header), *args))

    @contextlib.asynccontextmanager
    async def upload_lock(
        self, request: Request, then: Callable[[Connection, auth.Caller, str], T]
    ) -> AsyncIterator[Lease[T]]:
        """One upload of a file per agency at a time, across every worker and host (a row in
        the database, :func:`blobs.take_lock`); a racer waits up to :data:`UPLOAD_WAIT_S`, then
        is told to come back (429, which the client retries).

        Authenticating the caller, checking the file's name (the path's ``sha``: a refusal after
        the caller is known, 401 before 400), taking the lock and ``then(conn, caller, sha)``
        (what the upload reads under the lock) run in one worker call. The lock is given back on
        the way out unless a change already did (:attr:`Lease.released`)."""
        header = request.headers.get("authorization")
        named = str(request.path_params["sha"])
        holder, delay = blobs.lock_holder(), 0.02
        deadline = time.monotonic() + UPLOAD_WAIT_S

        def attempt(conn: Connection) -> tuple[auth.Caller, str, bool, T | None]:
            caller = auth.authenticate(conn, header)
            sha = blobs.check_sha(named)
            if not blobs.take_lock(conn, caller.agency, sha, holder):
                return caller, sha, False, None
            try:
                return caller, sha, True, then(conn, caller, sha)
            except BaseException:
                blobs.release_lock(conn, caller.agency, sha, holder)
                raise

        while True:
            caller, sha, taken, value = await self.db(attempt)
            if taken:
                break
            if time.monotonic() > deadline:
                raise Busy("该文件正在上传，请稍后重试。", f"upload lock of {sha[:12]} held")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
        lease = Lease(caller, sha, holder, cast(T, value))  # taken: ``then`` ran
        renewer = asyncio.create_task(self._renew(caller.agency, sha, holder))
        try:
            yield lease
        finally:
            renewer.cancel()
            if not lease.released:
                await self.db(blobs.release_lock, caller.agency, sha, holder)

    async def _renew(self, agency: str, sha: str, holder: str) -> None:
        """Keep a long upload's lease alive while its request runs."""
        while True:
            await asyncio.sleep(blobs.RENEW_S)
            await self.db(blobs.renew_lock, agency, sha, holder)
