"""``platform import-bundle``: take in a USB-stick bundle with the guarantees of a push.

Everything is checked before anything is written: the ZIP, the manifest's own hash, every member's
SHA-256 and size, no member the manifest does not name, every file's name equal to its content
hash, every entry well formed, every file an entry needs present, and an officer the platform
knows (the bundle is attributed to that officer's token, so visibility and audit work as for a
push). Only then are the files published (content-addressed, so a second import changes nothing)
and the entries applied through :func:`records.push`, each in its own transaction and idempotent
by entry id: importing twice stores nothing twice, and a later sync from the laptop is answered
"duplicate" and marks its entries sent.
"""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

from officer_app.errors import UserFacingError
from officer_app.platform import auth, blobs, db, records, signing, validate, witness

FORMAT, VERSION = "officer-app-sync-bundle", 1
CHUNK = 1 << 20


class BundleError(UserFacingError):
    code = "bad_bundle"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_TORN = (zipfile.BadZipFile, OSError, EOFError, zlib.error)  # a member cut short or altered


def _torn(name: str, exc: BaseException) -> BundleError:
    return BundleError(
        f"同步包中的 {name} 已损坏（校验失败），已拒收，未导入任何内容。", f"{name}: {exc}"
    )


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        return zf.read(name)
    except KeyError as exc:
        raise BundleError(f"同步包缺少文件：{name}，已拒收。", f"missing member {name}") from exc
    except _TORN as exc:
        raise _torn(name, exc) from exc


def _stream(zf: zipfile.ZipFile, name: str, sink: BinaryIO | None = None) -> tuple[str, int]:
    """SHA-256 and size of one member, read in 1 MiB pieces (and written to ``sink``): a
    bundle carrying a multi-GB recording is checked and published with flat memory."""
    h = hashlib.sha256()
    size = 0
    try:
        with zf.open(name) as member:
            while chunk := member.read(CHUNK):
                h.update(chunk)
                size += len(chunk)
                if sink is not None:
                    sink.write(chunk)
    except KeyError as exc:
        raise BundleError(f"同步包缺少文件：{name}，已拒收。", f"missing member {name}") from exc
    except _TORN as exc:
        raise _torn(name, exc) from exc
    return h.hexdigest(), size


def verify(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, int], bytes]:
    """The manifest, the entries, the files (SHA-256 → size; their bytes stay in the bundle
    until :func:`_publish` streams them out) and the ledger segment, all checked; else refused."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BundleError(
            "文件不是完整的同步包（可能已损坏或未拷贝完整），已拒收。", f"{path}: {exc}"
        ) from exc
    with zf:
        raw = _read(zf, "manifest.json")
        if _read(zf, "manifest.sha256").decode("ascii", "replace").strip() != _sha(raw):
            raise BundleError("同步包清单已被改动或损坏，已拒收。", "manifest hash mismatch")
        try:
            manifest = json.loads(raw)
        except ValueError as exc:
            raise BundleError("同步包清单无法读取，已拒收。", str(exc)) from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BundleError(
                "不支持的同步包格式或版本，请升级软件。",
                f"{manifest.get('format')} v{manifest.get('version')}",
            )
        listed = manifest.get("members") or {}
        extra = set(zf.namelist()) - set(listed) - {"manifest.json", "manifest.sha256"}
        if extra:
            raise BundleError(
                f"同步包含有清单以外的文件：{sorted(extra)[0]}，已拒收。", f"extra {sorted(extra)}"
            )
        data: dict[str, bytes] = {}
        files: dict[str, int] = {}
        for name, meta in listed.items():
            if name.startswith("blobs/"):  # streamed: a recording may be several GB
                digest, size = _stream(zf, name)
            else:
                content = _read(zf, name)
                digest, size = _sha(content), len(content)
                data[name] = content
            if size != meta.get("size") or digest != meta.get("sha256"):
                raise BundleError(
                    f"同步包中的 {name} 与清单不符（SHA-256 校验失败），已拒收，未导入任何内容。",
                    f"{name} hash/size mismatch",
                )
            if name.startswith("blobs/"):
                sha = name.split("/", 1)[1]
                if not validate.SHA256_RE.match(sha) or digest != sha:
                    raise BundleError(
                        f"同步包中的证据文件 {sha[:12]} 已损坏，已拒收。", f"blob {sha}"
                    )
                files[sha] = size
    try:
        entries = [json.loads(line) for line in data["entries.jsonl"].splitlines() if line]
    except (KeyError, ValueError) as exc:
        raise BundleError("同步包中的记录无法读取，已拒收。", str(exc)) from exc
    for entry in entries:
        try:
            validate.shape(entry)
        except validate.Invalid as exc:
            raise BundleError("同步包中有格式不正确的记录，已拒收。", exc.detail) from exc
    if len(entries) != manifest.get("entries"):
        raise BundleError("同步包记录数与清单不符，已拒收。", "entry count")
    if manifest.get("witness") is not None:
        try:
            witness.prepare(manifest["witness"], agency="-", source="bundle")
        except witness.WitnessRefused as exc:
            raise BundleError(f"同步包中的{exc.message_zh}已拒收。", str(exc)) from exc
    return manifest, entries, files, data.get("ledger.jsonl", b"")


def _caller(conn: Any, manifest: dict[str, Any]) -> auth.Caller:
    row = conn.execute(
        "SELECT id, agency, officer_name FROM tokens WHERE agency = ? AND badge = ?"
        " AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
        [manifest.get("agency"), manifest.get("badge")],
    ).fetchone()
    if row is None:
        raise BundleError(
            f"同步包来自未在平台登记（或令牌已吊销）的执法人员：{manifest.get('officer_name')}"
            f"（{manifest.get('badge')}），已拒收。",
            f"no token for {manifest.get('agency')}/{manifest.get('badge')}",
        )
    return auth.Caller(row["id"], auth.district(row["agency"]), row["officer_name"])


def _publish(
    paths: db.PlatformPaths, conn: Any, caller: auth.Caller, bundle: Path, files: dict[str, int]
) -> int:
    """Content-addressed, streamed out of the bundle to a temporary name and hashed again on the
    way (the stick may have changed since :func:`verify`): a crash or a mismatch leaves no torn
    file under a final name."""
    new = 0
    with zipfile.ZipFile(bundle) as zf:
        for sha in files:
            final = blobs.blob_path(paths, sha)
            if final.is_file():
                continue
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(final.name + ".import")
            try:
                with tmp.open("wb") as fh:
                    digest, _size = _stream(zf, f"blobs/{sha}", fh)
                    fh.flush()
                    os.fsync(fh.fileno())
                if digest != sha:
                    raise BundleError(
                        f"同步包中的证据文件 {sha[:12]} 在导入过程中发生变化，已拒收。",
                        f"blob {sha} changed after verification: {digest}",
                    )
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
            os.replace(tmp, final)
            new += 1
    with db.transaction(conn):
        for sha, size in files.items():
            conn.execute(
                "INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [sha, size, db.now_iso()],
            )
            conn.execute(
                "INSERT INTO blob_access (sha256, agency) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [sha, caller.agency],
            )
    return new


def import_bundle(root: Path, path: Path, db_url: str | None = None) -> dict[str, Any]:
    """``db_url`` as for ``platform serve --db`` (or ``$OFFICER_APP_PLATFORM_DB``)."""
    from officer_app.platform.server import _mode

    manifest, entries, files, ledger = verify(path)
    paths = db.PlatformPaths(root)
    with db.Database.for_platform(paths, db_url) as database:
        training = _mode(database)
        db.init(paths, training=training, database=database)
        with db.opened(database) as conn:
            caller = _caller(conn, manifest)
            needed = {sha for e in entries for sha in e.get("blobs", [])}
            absent = [
                s
                for s in sorted(needed - set(files))
                if not blobs.has_access(conn, caller.agency, s)
            ]
            if absent:
                raise BundleError(
                    "同步包缺少记录所需的证据文件，已拒收。", f"missing blobs {absent[:3]}"
                )
            new_files = _publish(paths, conn, caller, path, files)
            results = records.push(conn, caller, entries, training_platform=training)
            witnessed = _witness(paths, conn, caller, manifest.get("witness"))
    audit = paths.root / "bundles" / str(manifest["bundle_id"])
    audit.mkdir(parents=True, exist_ok=True)
    (audit / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    (audit / "ledger.jsonl").write_bytes(ledger)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return {
        "bundle_id": manifest["bundle_id"],
        "agency": caller.agency,
        "officer_name": caller.officer_name,
        "entries": len(entries),
        "stored": counts.get("stored", 0),
        "duplicate": counts.get("duplicate", 0),
        "refused": [r for r in results if r["status"] not in ("stored", "duplicate")],
        "files": len(files),
        "new_files": new_files,
        "witness": witnessed,
    }


def _witness(
    paths: db.PlatformPaths, conn: Any, caller: auth.Caller, body: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Witness the ledger head the bundle shows, as a sync would (the laptop collects the receipt
    at its next sync); ``None`` for a bundle without one."""
    if body is None:
        return None
    key = signing.load_or_create(paths)
    signing.bind(conn, key)
    answer = witness.append(
        conn, key, agency=caller.agency, token_id=caller.token_id, body=body, source="bundle"
    )
    leaf = answer["receipts"][-1]
    return {
        "seq": leaf["leaf"]["seq"],
        "leaf_index": leaf["leaf_index"],
        "tree_size": answer["sth"]["tree_size"],
    }
