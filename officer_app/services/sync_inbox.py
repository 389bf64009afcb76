"""Pull: take in what the platform addressed to this agency, one item at a time.

Each page of items is committed together with the new cursor, so a crash re-pulls, never skips.
An item this laptop cannot take in — a file it names is not on the platform, a file arrives
corrupt, its content is malformed (perhaps pushed that way on purpose by another agency) — is set
aside in ``sync_held`` with its reason, in the same transaction, and the cursor moves on: one item
never stops an agency's pull. The officer sees the reasons (``sync status``, the 同步 page) and
:func:`retry_held` tries the items again, e.g. once the platform has the missing file.

Only a transient failure (timeout, dropped connection, 5xx) stops a page: nothing of it is
committed and the next run pulls it again, so a network hiccup never sets anything aside.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
from collections.abc import Callable
from typing import Any

from officer_app.domain import transfer as machine
from officer_app.media.hashing import copy_file_and_hash, sha256_file
from officer_app.services.context import AppContext
from officer_app.services.sync_report import SyncReport
from officer_app.services.transfers import apply_pulled, sync_blobs_dir
from officer_app.store import sync_state
from officer_app.store.blobs import BlobStore, Staged
from officer_app.store.db import Store
from officer_app.sync.errors import SyncError, TransientSyncError
from officer_app.sync.http import PlatformClient

log = logging.getLogger(__name__)
KIND_ZH = {"transfer": "案件移送", "transfer_status": "移送办理结果", "patrol": "联合巡查"}
#: Exceptions a malformed item can raise while it is applied (besides those found beforehand).
DATA_ERRORS = (KeyError, TypeError, ValueError, AttributeError)
Retry = Callable[[Callable[[], Any]], Any]


class Unreceivable(Exception):
    """Why one item cannot be taken in: a Chinese reason and an English detail."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _text(value: Any, optional: bool = False) -> bool:
    """A non-empty string; with ``optional``, any string or ``None``."""
    if optional:
        return value is None or isinstance(value, str)
    return isinstance(value, str) and bool(value)


def problem(item: dict[str, Any]) -> str | None:
    """What keeps an item from being taken in, in English; ``None`` when it looks right."""
    kind, ref, p = item.get("kind"), item.get("ref_id"), item.get("payload")
    if not isinstance(kind, str) or not isinstance(ref, str) or not isinstance(p, dict):
        return "kind, ref_id and payload must be strings and an object"
    if kind == "transfer":
        if not all(_text(p.get(k)) for k in ("id", "document_number", "from_agency")):
            return "transfer id, document_number and from_agency must be strings"
        if not _text(p.get("deadline"), optional=True):
            return "deadline must be a string"
        for key, shape in (("case", dict), ("parties", list), ("evidence", list)):
            if not isinstance(p.get(key), shape):  # accepting registers the case from them
                return f"{key} must be a {shape.__name__}"
        if not all(isinstance(x, dict) for x in p["parties"]):
            return "parties must be objects"
        try:
            machine.named_files(p)
        except ValueError as exc:
            return str(exc)
    elif kind == "transfer_status":
        if not _text(p.get("transfer_id")) or p.get("status") not in machine.STATUSES:
            return "transfer_id must be a string and status a transfer status"
        for key in ("receipt_number", "reason", "note", "result"):
            if not _text(p.get(key), optional=True):
                return f"{key} must be a string"
        fine = p.get("fine")
        if fine is not None and (
            isinstance(fine, bool) or not isinstance(fine, int | float) or not math.isfinite(fine)
        ):
            return "fine must be a number"
        try:
            machine.named_files({"blobs": p.get("blobs", [])})  # the step's letter
        except ValueError as exc:
            return str(exc)
    return None


def _files(item: dict[str, Any]) -> set[str]:
    """The files an item brings: a transfer's case files, or the letter of a step (回执 …)."""
    if item["kind"] == "transfer":
        return machine.named_files(item["payload"])
    if item["kind"] == "transfer_status":
        return machine.named_files({"blobs": item["payload"].get("blobs", [])})
    return set()


def _fetch_blob(ctx: AppContext, client: PlatformClient, sha: str, retry: Retry) -> None:
    store = sync_blobs_dir(ctx)
    if store.has(sha) or BlobStore(ctx.data.evidence_dir).has(sha):
        if not store.has(sha):
            store.put_file(BlobStore(ctx.data.evidence_dir).path_for(sha), sha, copy_file_and_hash)
        return
    store.tmp.mkdir(parents=True, exist_ok=True)
    tmp = store.tmp / f"{sha}.download"
    try:
        retry(lambda: client.download(sha, tmp))
        # Streamed: a transferred recording may be several GB, never held in memory.
        if sha256_file(tmp) != sha:
            raise SyncError("下载的证据文件与其SHA-256不符，已丢弃。", f"blob {sha} corrupt")
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        store.commit(Staged(tmp, sha, tmp.stat().st_size))
    finally:
        tmp.unlink(missing_ok=True)


def _fetch_files(
    ctx: AppContext, client: PlatformClient, item: dict[str, Any], retry: Retry
) -> None:
    """Every file a transfer names, before the item is committed; :class:`Unreceivable` if one
    cannot be had (a transient failure propagates: the page is pulled again next run)."""
    reason = problem(item)
    if reason:
        raise Unreceivable(
            f"{KIND_ZH.get(str(item.get('kind')), '该项目')}内容不完整或格式不正确。", reason
        )
    for sha in sorted(_files(item)):
        try:
            _fetch_blob(ctx, client, sha, retry)
        except TransientSyncError:
            raise
        except SyncError as exc:
            raise Unreceivable(
                f"移送所附文件无法下载：{exc.message_zh}", f"blob {sha}: {exc.detail}"
            ) from exc


def _apply(ctx: AppContext, item: dict[str, Any], training: bool) -> None:
    """Store one item and apply it, undone alone (a savepoint) if it turns out malformed."""
    try:
        with ctx.store.transaction():
            ctx.store.execute(
                "INSERT OR IGNORE INTO inbox (cursor, kind, ref_id, payload, received_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    item["cursor"],
                    item["kind"],
                    item["ref_id"],
                    json.dumps(item["payload"], ensure_ascii=False),
                    ctx.now_iso(),
                ],
            )
            apply_pulled(ctx, {**item, "training": training})
    except DATA_ERRORS as exc:
        log.exception("pulled item %s could not be applied", item.get("cursor"))
        raise Unreceivable(
            f"{KIND_ZH.get(item['kind'], '该项目')}内容无法处理。", f"{type(exc).__name__}: {exc}"
        ) from exc


def _hold(ctx: AppContext, item: dict[str, Any], training: bool, why: Unreceivable) -> None:
    now = ctx.now_iso()
    ctx.store.execute(
        "INSERT INTO sync_held (cursor, kind, ref_id, item, training, reason, detail, held_at,"
        " tried_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(cursor) DO UPDATE SET reason = excluded.reason, detail = excluded.detail,"
        " attempts = attempts + 1, tried_at = excluded.tried_at",
        [
            item["cursor"],
            str(item.get("kind", "")),
            str(item.get("ref_id", "")),
            json.dumps(item, ensure_ascii=False),
            int(training),
            why.reason,
            why.detail[:500],
            now,
            now,
        ],
    )


def _check_page(page: Any) -> list[dict[str, Any]]:
    """The platform's own answer must have its shape (unlike what agencies put in items)."""
    items = page.get("items") if isinstance(page, dict) else None
    if not isinstance(items, list) or not all(
        isinstance(i, dict) and isinstance(i.get("cursor"), int) for i in items
    ):
        raise SyncError("平台返回的数据格式不正确。", "pull page malformed")
    if not isinstance(page.get("next_cursor"), int):
        raise SyncError("平台返回的数据格式不正确。", "next_cursor malformed")
    return items


def pull(
    ctx: AppContext, client: PlatformClient, training: bool, report: SyncReport, retry: Retry
) -> None:
    """Pull every page after the stored cursor, counting into the run's ``report``."""
    while True:
        cursor = sync_state.cursor(ctx.store)
        page = retry(functools.partial(client.pull, cursor))
        items = _check_page(page)
        unreceivable: dict[int, Unreceivable] = {}
        for item in items:  # files first: the items are committed only once their files are here
            try:
                _fetch_files(ctx, client, item, retry)
            except Unreceivable as refused:
                unreceivable[item["cursor"]] = refused
        with ctx.store.transaction():
            for item in items:
                why = unreceivable.get(item["cursor"])
                if why is None:
                    try:
                        _apply(ctx, item, training)
                        continue
                    except Unreceivable as exc:
                        why = exc
                _hold(ctx, item, training, why)
                report.held.append({"cursor": item["cursor"], "reason": why.reason})
                log.warning("pulled item %s set aside: %s", item["cursor"], why.detail)
            sync_state.put(ctx.store, sync_state.CURSOR, str(page["next_cursor"]))
        report.pulled += len(items) - len(unreceivable)
        report.cursor = int(page["next_cursor"])
        report.step()
        if not page.get("more"):
            return


# Held items ---------------------------------------------------------------------------------------
def held_items(store: Store) -> list[dict[str, Any]]:
    """What could not be taken in, oldest first, with the reason the officer reads."""
    rows = store.query(
        "SELECT cursor, kind, ref_id, reason, detail, attempts, held_at, tried_at, item"
        " FROM sync_held ORDER BY cursor"
    )
    out = []
    for r in rows:
        payload = json.loads(r.pop("item")).get("payload")
        number = payload.get("document_number") if isinstance(payload, dict) else None
        out.append(
            {
                **r,
                "kind_zh": KIND_ZH.get(r["kind"], r["kind"]),
                "document_number": number if isinstance(number, str) else "",
            }
        )
    return out


def retry_held(
    ctx: AppContext,
    client: PlatformClient,
    retry: Retry,
    cursors: list[int] | None = None,
) -> dict[str, Any]:
    """Try the held items (all, or those ``cursors``) again; each one taken in leaves the list."""
    rows = ctx.store.query("SELECT cursor, item, training FROM sync_held ORDER BY cursor")
    wanted = set(cursors) if cursors is not None else None
    received, still = [], []
    for row in rows:
        if wanted is not None and row["cursor"] not in wanted:
            continue
        item, training = json.loads(row["item"]), bool(row["training"])
        try:  # the download runs outside any transaction: the officer's edits do not wait
            _fetch_files(ctx, client, item, retry)
            with ctx.store.transaction():
                _apply(ctx, item, training)
                ctx.store.execute("DELETE FROM sync_held WHERE cursor = ?", [row["cursor"]])
        except Unreceivable as why:
            with ctx.store.transaction():
                _hold(ctx, item, training, why)
            still.append({"cursor": row["cursor"], "reason": why.reason})
            continue
        received.append(row["cursor"])
    return {"received": received, "still_held": still}
