"""A real platform process on loopback, officers' data dirs, and a fault-injecting TCP proxy."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

#: A PostgreSQL server the platform tests may create throwaway databases in
#: (``tools/start-postgres.sh`` prints one). Unset: skipped locally, a failure in CI.
PG_ENV = "OFFICER_APP_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PlatformProcess:
    """``python -m officer_app platform serve`` in a subprocess, stopped by :meth:`stop`."""

    def __init__(
        self,
        root: Path,
        *,
        training: bool = False,
        port: int | None = None,
        db: str | None = None,
        extra: list[str] | None = None,
        verify: Any = True,
    ) -> None:
        self.root, self.port, self.training, self.db = root, port or free_port(), training, db
        self.extra, self.verify = extra or [], verify
        scheme = "https" if "--certfile" in self.extra else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.log = (root.parent / f"{root.name}-server.log").open("ab")
        cmd = [
            sys.executable,
            "-m",
            "officer_app",
            "--data-dir",
            str(root),
            "platform",
            "serve",
            "--port",
            str(self.port),
            *self.db_args,
            *self.extra,
        ] + (["--training"] if training else [])
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                with httpx.Client(timeout=1, verify=verify) as c:
                    if c.get(f"{self.url}/v1/hello").status_code == 200:
                        return
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError((root.parent / f"{root.name}-server.log").read_text())
            time.sleep(0.2)

    def restart(self) -> None:
        """Stop and start again on the same port and data dir (a platform restart mid-sync)."""
        self.stop()
        PlatformProcess.__init__(
            self,
            self.root,
            training=self.training,
            port=self.port,
            db=self.db,
            extra=self.extra,
            verify=self.verify,
        )

    @property
    def db_args(self) -> list[str]:
        """``--db URL`` for every platform command when the rows live in PostgreSQL."""
        return ["--db", self.db] if self.db else []

    def scalar(self, sql: str) -> Any:
        """The first column of the first row of ``sql``, read from whichever backend is in use."""
        from officer_app.platform.db import PlatformPaths, opened

        with opened(self.db or PlatformPaths(self.root).db_path) as conn:
            return conn.execute(sql).fetchone()[0]

    def admin(self, *args: str) -> Any:
        out = subprocess.run(
            [
                sys.executable,
                "-m",
                "officer_app",
                "--data-dir",
                str(self.root),
                "platform",
                *args,
                *self.db_args,
                "--json",
            ],
            capture_output=True,
            check=True,
        )
        return json.loads(out.stdout)

    def add_officer(self, agency: str, name: str, badge: str) -> dict[str, str]:
        return self.admin(
            "add-officer", "--agency", agency, "--officer-name", name, "--badge", badge
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@contextlib.contextmanager
def platform_database(backend: str) -> Iterator[str | None]:
    """``None`` (SQLite in the data dir) or the URL of a fresh, dropped-afterwards PG database."""
    if backend == "sqlite":
        yield None
        return
    url = os.environ.get(PG_ENV, "")
    if not url:
        reason = (
            f"PostgreSQL platform tests need {PG_ENV}=postgresql://… "
            "(start a throwaway server with: bash tools/start-postgres.sh)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run them")
        pytest.skip(reason)
    import psycopg

    name = f"oa_test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def running_platform(root: Path, backend: str) -> Iterator[PlatformProcess]:
    """Body of the ``platform`` fixtures: one platform process on the given backend."""
    with platform_database(backend) as db:
        proc = PlatformProcess(root, db=db)
        try:
            yield proc
        finally:
            proc.stop()


class FaultProxy:
    """Loopback TCP proxy: the first ``fail_connections`` connections are answered with 503 or
    left hanging (``stall``), and upload connections are cut after ``cut_after`` client bytes."""

    def __init__(
        self,
        upstream_port: int,
        *,
        fail_connections: int = 0,
        stall: bool = False,
        cut_after: int | None = None,
    ) -> None:
        self.upstream_port, self.fail_left, self.stall = upstream_port, fail_connections, stall
        self.cut_after, self.cut_done = cut_after, False
        self.client_bytes = 0
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._socks: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self._socks.append(conn)
            if self.fail_left > 0:
                self.fail_left -= 1
                if not self.stall:
                    conn.recv(65536)
                    conn.sendall(
                        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                        b"Connection: close\r\n\r\n"
                    )
                    conn.close()
                continue  # a stalled connection is just never answered
            up = socket.create_connection(("127.0.0.1", self.upstream_port))
            self._socks.append(up)
            threading.Thread(target=self._pipe, args=(conn, up, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(up, conn, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if from_client:
                    self.client_bytes += len(data)
                    if (
                        self.cut_after is not None
                        and not self.cut_done
                        and self.client_bytes > self.cut_after
                        and data.startswith(b"")
                    ):
                        keep = len(data) - (self.client_bytes - self.cut_after)
                        dst.sendall(data[: max(keep, 0)])
                        self.cut_done = True
                        break
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self._stop.set()
        self.server.close()
        for s in self._socks:
            s.close()
        self._thread.join(5)
