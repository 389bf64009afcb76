"""One sync run: hello, upload missing files, push the outbox, pull the inbox (:mod:`sync_inbox`).

Push goes in outbox order, in batches, each entry with its client UUID as idempotency key; a
transient failure (timeout, dropped connection, 5xx) is retried with exponential backoff and
jitter. An entry that still fails counts an attempt; after ``MAX_ATTEMPTS`` runs, or at once when
the platform refuses it for good (conflict, illegal step, training data), it is set aside with its
reason and the rest goes on. Files an entry needs are uploaded first, in resumable chunks. Pull
commits each page of items together with the cursor, so a crash re-pulls, never skips; an item
that cannot be taken in is set aside with its reason and the pull goes on.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from pathlib import Path
from typing import Any

from officer_app.services import sync_inbox, sync_witness
from officer_app.services.context import AppContext
from officer_app.services.sync_report import (
    RETRIES,
    ProgressFn,
    SyncReport,
    backoff,
    with_retries,
)
from officer_app.store import sync_state
from officer_app.store.blobs import BlobStore
from officer_app.sync import credentials
from officer_app.sync.errors import RefusedError, SyncError, TransientSyncError
from officer_app.sync.http import PlatformClient
from officer_app.sync.wire import entry as wire_entry

log = logging.getLogger(__name__)
BATCH = 50
MAX_ATTEMPTS = 5
CHUNK_ENV = "OFFICER_APP_SYNC_CHUNK"
#: Test-only fault hook: ``exit_before_push`` kills the process after the files of the first batch
#: are uploaded and before its records are pushed (the crash the exactly-once guarantee is about).
FAULT_ENV = "OFFICER_APP_SYNC_FAULT"


def open_client(ctx: AppContext) -> PlatformClient:
    server = sync_state.get(ctx.store, sync_state.SERVER_URL)
    if not server:
        from officer_app.sync.errors import NotLoggedInError

        raise NotLoggedInError("尚未登录同步平台，请先执行登录。", "no server url")
    return PlatformClient(server, credentials.load_token(ctx.store, server))


# Files --------------------------------------------------------------------------------------------
def blob_source(ctx: AppContext, sha: str) -> Path | None:
    for path in (
        BlobStore(ctx.data.evidence_dir).path_for(sha),
        ctx.data.root / "documents" / f"{sha}.pdf",
    ):
        if path.is_file():
            return path
    return None


#: Upload chunk sizes. The platform keeps (and fsyncs) whatever part of a chunk arrived before a
#: connection dropped, so a big chunk does not mean more to resend after a cut; it does mean fewer
#: round trips and fsyncs (1 MiB chunks ran at 40 % of a plain upload in benchmarks/sync.py,
#: 8 MiB at 70 %+). But one chunk must fit in the request timeout on a weak field link, so a run
#: starts at ``MIN_CHUNK`` and doubles while chunks go through within ``FAST_CHUNK_S``, halving
#: after a failed one. ``OFFICER_APP_SYNC_CHUNK`` fixes the size (tests).
MIN_CHUNK, MAX_CHUNK = 1024 * 1024, 8 * 1024 * 1024
FAST_CHUNK_S = 2.0


def upload_blob(client: PlatformClient, path: Path, sha: str, report: SyncReport) -> None:
    """Resume from what the platform holds; at most the interrupted chunk is sent again.

    The platform's answer to each chunk says how much it now holds, so the offset is only asked
    for (``HEAD``) at the start and after a failed chunk, not before every chunk. A file that
    fits in one chunk (a photo) is simply sent whole, without asking: the platform takes a whole
    file in place of any part of it held from a cut run (:func:`platform.blobs.check_start`), so
    a photo costs one request instead of two. When it holds
    every byte without having published the file (it crashed in between), it is asked to verify
    and publish what it holds; when it refuses the content (a part torn by that crash does not
    match its hash, and is discarded) the file is sent once more from the start."""
    fixed = int(os.environ.get(CHUNK_ENV, "0"))
    total, failures, restarted = path.stat().st_size, 0, False
    if total == 0:
        raise SyncError("证据文件为空，无法上传。", f"{sha}: empty file")
    with path.open("rb") as fh:
        whole = total <= (fixed or client.upload_chunk)  # sent in one chunk: nothing to ask
        held, complete = (
            (0, False) if whole else with_retries(lambda: client.blob_offset(sha), report)
        )
        while not complete:
            size = fixed or client.upload_chunk
            held = 0 if held > total else held  # a part of another size: the platform restarts
            data = b""
            started = time.monotonic()
            try:
                if held == total:
                    answer = client.finish_upload(sha, total)
                else:
                    fh.seek(held)
                    data = fh.read(size)
                    answer = client.put_chunk(sha, data, held, total)
                    report.bytes_uploaded += len(data)
                held, complete = int(answer["held"]), bool(answer["complete"])
                if len(data) == size and time.monotonic() - started < FAST_CHUNK_S:
                    client.upload_chunk = min(size * 2, MAX_CHUNK)
                report.step()
            except RefusedError as exc:
                if exc.status != 422 or restarted:
                    raise
                restarted = True
                log.warning("platform discarded the part of %s (%s); sending it again", sha, exc)
                held = 0
            except TransientSyncError as exc:
                failures += 1
                client.upload_chunk = max(size // 2, MIN_CHUNK)
                if failures > RETRIES:
                    raise
                report.retries += 1
                report.bytes_uploaded += len(data)  # counted as sent: the resume test bounds it
                log.info("chunk of %s at %d failed (%s); resuming", sha[:12], held, exc.detail)
                time.sleep(backoff(failures - 1))
                held, complete = with_retries(lambda: client.blob_offset(sha), report)
    report.blobs_uploaded += 1


def _absent_in_batch(
    client: PlatformClient, wires: list[dict[str, Any]], report: SyncReport
) -> set[str] | None:
    """Which of a whole batch's files the platform lacks, in one request instead of one per
    entry; ``None`` (ask per entry, as before) if that fails, so one bad entry stays alone."""
    shas = sorted({sha for wire in wires for sha in wire["blobs"]})
    if not shas:
        return set()
    try:
        return set(with_retries(lambda: client.missing_blobs(shas), report))
    except SyncError:
        return None


def _ensure_blobs(
    ctx: AppContext,
    client: PlatformClient,
    shas: list[str],
    report: SyncReport,
    absent: set[str] | None = None,
) -> None:
    if not shas:
        return
    if absent is None:
        todo = with_retries(lambda: client.missing_blobs(shas), report)
    else:
        todo = [sha for sha in shas if sha in absent]
    for sha in todo:
        path = blob_source(ctx, sha)
        if path is None:
            raise SyncError("本机缺少该记录的证据文件，无法上传。", f"blob {sha} not stored here")
        upload_blob(client, path, sha, report)
        if absent is not None:
            absent.discard(sha)


# Push ---------------------------------------------------------------------------------------------
def _mark(ctx: AppContext, entry_id: str, status: str, error: str = "") -> None:
    with ctx.store.transaction():
        if status == "sent":
            ctx.store.execute(
                "UPDATE outbox SET state = 'sent', last_error = '' WHERE id = ?", [entry_id]
            )
        elif status == "set_aside":
            ctx.store.execute(
                "UPDATE outbox SET state = 'set_aside', attempts = attempts + 1, last_error = ?"
                " WHERE id = ?",
                [error, entry_id],
            )
        else:  # failed this run: count it, set aside once it keeps failing
            ctx.store.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
                " state = CASE WHEN attempts + 1 >= ? THEN 'set_aside' ELSE state END WHERE id = ?",
                [error, MAX_ATTEMPTS, entry_id],
            )


def push(ctx: AppContext, client: PlatformClient, training: bool, report: SyncReport) -> None:
    report.skipped_other_mode = int(
        ctx.store.scalar(
            "SELECT count(*) FROM outbox WHERE state = 'pending' AND training != ?", [int(training)]
        )
    )
    report.items_total = int(
        ctx.store.scalar(
            "SELECT count(*) FROM outbox WHERE state = 'pending' AND training = ?", [int(training)]
        )
    )
    report.step()
    last_seq, failed_batches = 0, 0
    while failed_batches < 2:
        rows = ctx.store.query(
            "SELECT * FROM outbox WHERE state = 'pending' AND training = ? AND seq > ?"
            " ORDER BY seq LIMIT ?",
            [int(training), last_seq, BATCH],
        )
        if not rows:
            return
        last_seq = rows[-1]["seq"]
        ready = []
        wires = [wire_entry(row) for row in rows]
        absent = _absent_in_batch(client, wires, report)
        for row, wire in zip(rows, wires, strict=True):
            try:
                _ensure_blobs(ctx, client, wire["blobs"], report, absent)
                ready.append(wire)
            except RefusedError as exc:
                _mark(ctx, row["id"], "set_aside", exc.message_zh)
                report.set_aside.append({"id": row["id"], "reason": exc.message_zh})
            except SyncError as exc:
                _mark(ctx, row["id"], "failed", exc.message_zh)
                report.deferred += 1
        report.items_done += len(rows) - len(ready)
        if not ready:
            report.step()
            continue
        if os.environ.get(FAULT_ENV) == "exit_before_push":
            os._exit(70)
        try:
            results = with_retries(functools.partial(client.push, ready), report)
            failed_batches = 0
        except TransientSyncError as exc:
            failed_batches += 1
            for wire in ready:
                _mark(ctx, wire["id"], "failed", exc.message_zh)
            report.deferred += len(ready)
            report.items_done += len(ready)
            report.step()
            continue
        _apply_results(ctx, results, report)
        report.items_done += len(ready)
        report.step()


def _apply_results(ctx: AppContext, results: list[dict[str, Any]], report: SyncReport) -> None:
    """One laptop transaction per batch (the marks become savepoints): if it is lost, the next
    run pushes the batch again and the platform answers "duplicate", so nothing is lost."""
    with ctx.store.transaction():
        _apply_each(ctx, results, report)


def _apply_each(ctx: AppContext, results: list[dict[str, Any]], report: SyncReport) -> None:
    for result in results:
        status, message = result["status"], result.get("message_zh", "")
        if status in ("stored", "duplicate"):
            _mark(ctx, result["id"], "sent")
            report.pushed += 1
            report.acknowledged_again += status == "duplicate"
        elif status in ("conflict", "rejected"):
            _mark(ctx, result["id"], "set_aside", message)
            report.set_aside.append({"id": result["id"], "reason": message})
        else:  # missing_blobs: try again next run
            _mark(ctx, result["id"], "failed", message)
            report.deferred += 1


def run_sync(
    ctx: AppContext, *, on_progress: ProgressFn | None = None, cancel: Any = None
) -> SyncReport:
    """One run; ``cancel`` (a ``threading.Event``) is honoured between steps."""
    report = SyncReport(on_progress=on_progress, cancel=cancel)
    with open_client(ctx) as client:
        hello = with_retries(client.hello, report)
        training = bool(hello["training"])
        report.training_platform = training
        sync_witness.witness(
            ctx, client, report
        )  # first: what this run pushes is already witnessed
        push(ctx, client, training, report)
        sync_inbox.pull(
            ctx, client, training, report, functools.partial(with_retries, report=report)
        )
        sync_witness.fetch_custody(ctx, client, report)
    return report


def login(
    ctx: AppContext, server: str, token: str, *, accept_new_key: bool = False
) -> dict[str, Any]:
    """Check the token against the platform and pin its witness key, then keep the token in the
    keyring and the URL in the store."""
    with PlatformClient(server, token) as client:
        client.hello()
        who = client.whoami()
        url = client.server
        key = sync_witness.pin_key(ctx, client, accept_new=accept_new_key)
    credentials.save_token(ctx.store, url, token)
    sync_state.put(ctx.store, sync_state.SERVER_URL, url)
    return {
        "server": url,
        "agency": who["agency"],
        "officer_name": who["officer_name"],
        "training": who["training"],
        "witness_key": key,
    }


def reserve_serials(ctx: AppContext, doc_type: str, year: int, size: int) -> dict[str, Any]:
    """Ask the platform for a serial block for this laptop and store it (``add_platform_block``)."""
    import uuid

    from officer_app.services import numbering
    from officer_app.services.documents import issuing_agency

    agency = issuing_agency(ctx)
    used = ctx.store.scalar(
        "SELECT max(next) FROM serial_blocks WHERE agency = ? AND doc_type = ? AND year = ?",
        [agency.code, doc_type, year],
    )
    body = {
        "request_id": str(uuid.uuid4()),
        "doc_type": doc_type,
        "year": year,
        "size": size,
        "min_first": int(used or 1),
    }
    report = SyncReport()
    with open_client(ctx) as client:
        block = with_retries(lambda: client.reserve_block(body), report)
    numbering.add_platform_block(ctx, agency.code, doc_type, year, block["first"], block["last"])
    return block


def retry_held(ctx: AppContext, cursors: list[int] | None = None) -> dict[str, Any]:
    """``officer-app sync retry-held``: take in the items set aside by earlier pulls, if now
    possible (e.g. the platform has the missing file by now)."""
    report = SyncReport()
    with open_client(ctx) as client:
        with_retries(client.hello, report)
        return sync_inbox.retry_held(
            ctx, client, functools.partial(with_retries, report=report), cursors
        )
