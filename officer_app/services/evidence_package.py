"""Evidence packages: one zip per case that anyone can verify without this app's store.

Contents: the original evidence files (``evidence/<sha256>_<original name>``, bytes untouched), the
issued documents (``documents/<number>_<sha256>.pdf``), ``manifest.json`` (hashes, metadata,
positions), ``ledger.jsonl`` (the journal segment from the first to the last entry concerning the
case: entries about it in full, others reduced to ``seq``/``prev_hash``/``hash`` so the chain can be
walked without disclosing other cases), ``SHA256SUMS`` (for ``sha256sum -c``) and ``README.txt``.

:func:`check_package` needs nothing but the zip: it re-hashes every file, compares the manifest,
recomputes every full ledger entry's hash and walks the chain links, and names each problem.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from officer_app.errors import UserFacingError
from officer_app.fileguard import check_input, display_path, file_error
from officer_app.fileio import staged_file
from officer_app.media.errors import UnreadableFile
from officer_app.media.hashing import copy_and_hash, sha256_bytes, sha256_file, sha256_stream
from officer_app.services import cases, custody_package, gps_logs
from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from officer_app.store.ledger import entry_hash

FORMAT = "officer_app-evidence-package/1"
Progress = Callable[[int, int], None]
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed member times: the same case gives the same zip bytes
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")

README = """\
证据包说明 / Evidence package
==============================

本证据包由“长三角城管综合行政执法 跨区域协作 现场执法助手”（officer_app）导出。
案件编号：{case_id}
导出时间：{exported_at}

内容
  evidence/    原始证据文件（未经任何改动），文件名为“SHA-256_原文件名”
  documents/   已签发文书的PDF
  manifest.json  清单：每个文件的SHA-256、拍摄时间、位置（含坐标系）、辖区等
  ledger.jsonl   相关日志条目（哈希链），可据此重新核验链条
  SHA256SUMS     本包内所有文件（除本文件自身外）的SHA-256校验值
  custody/       平台见证：平台公钥、签名的日志头及本案日志条目的见证证明（同步过才有）

人工核验方法
  1. 解压本证据包，进入解压后的目录；
  2. 运行：sha256sum -c SHA256SUMS
     （Windows 可用 Git Bash 或 WSL；也可用 certutil -hashfile 文件名 SHA256 逐个核对）
     每一行均应显示“OK”（或“成功”）；
  3. evidence/ 下每个文件名开头的64位十六进制串即该文件的SHA-256，应与 manifest.json
     及文书中“证据及材料清单”所列的值一致；
  4. 也可在任何安装了本软件的电脑上运行：
     officer-app evidence check-package 本文件.zip
     该命令同时核验清单、日志哈希链和平台见证，不需要原始数据库；
     并显示平台公钥指纹，请与平台季度通报所印的指纹核对。

English
  This package was exported by officer_app. evidence/ holds the original files, byte for byte,
  named "<sha256>_<original name>"; documents/ holds the issued documents; manifest.json lists
  hashes, metadata and positions (with datum); ledger.jsonl is the hash-chained journal segment
  concerning this case (entries of other cases are reduced to seq/prev_hash/hash so the chain can
  still be walked).

  To check by hand: unzip, cd into the folder and run

      sha256sum -c SHA256SUMS

  Every line must say OK. To check everything (files, manifest and ledger chain) on any machine:

      officer-app evidence check-package FILE.zip
"""


class PackageError(UserFacingError):
    code = "package"


def _safe(name: str) -> str:
    return _UNSAFE.sub("_", name).strip() or "file"


def _zinfo(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _ledger_segment(ctx: AppContext, ids: set[str]) -> list[dict[str, Any]]:
    rows = ctx.store.query(
        f"SELECT seq FROM ledger WHERE entity_id IN ({','.join('?' * len(ids))}) ORDER BY seq",
        sorted(ids),
    )
    if not rows:
        return []
    first, last = rows[0]["seq"], rows[-1]["seq"]
    segment = []
    for r in ctx.store.query(
        "SELECT seq, kind, entity_id, payload, officer_id, at, prev_hash, hash FROM ledger"
        " WHERE seq BETWEEN ? AND ? ORDER BY seq",
        [first, last],
    ):
        if r["entity_id"] in ids:
            segment.append({**r, "full": True})
        else:
            segment.append(
                {"seq": r["seq"], "prev_hash": r["prev_hash"], "hash": r["hash"], "full": False}
            )
    return segment


def _write_streamed(zf: zipfile.ZipFile, name: str, path: Path, ev: dict[str, Any]) -> None:
    """Copy one evidence file into the archive in pieces, hashing the same bytes on the way.

    Recordings run to several GB: nothing is held whole in memory, and they are stored, not
    deflated (video and audio are compressed already; deflating them costs minutes for nothing).
    A file whose bytes no longer match its recorded SHA-256 stops the export.
    """
    info = _zinfo(name)
    if ev.get("kind", "photo") != "photo":
        info.compress_type = zipfile.ZIP_STORED
    try:
        src = path.open("rb")
    except OSError as exc:
        raise PackageError(
            f"证据文件缺失，无法导出：{ev['original_name']}", f"{path}: {exc}"
        ) from exc
    # A failed read is the evidence file's fault; a failed write (a full disk) is the package's,
    # and reaches staged_file as the OSError it is, to be reported naming the package.
    try:
        with src, zf.open(info, "w", force_zip64=True) as dst:
            sha, _size = copy_and_hash(src, dst)
    except UnreadableFile as exc:
        raise PackageError(
            f"证据文件读取失败，无法导出：{ev['original_name']}", f"{path}: {exc.detail}"
        ) from exc
    if sha != ev["sha256"]:
        raise PackageError(
            f"证据文件“{ev['original_name']}”与登记的SHA-256不一致，已停止导出。",
            f"{path} changed",
        )


def export_package(
    ctx: AppContext, case_id: str, out: Path, *, progress: Progress | None = None
) -> dict[str, Any]:
    """Write the case's evidence package to ``out`` (atomically). Returns a summary."""
    case = cases.get_case(ctx, case_id)
    blobs = BlobStore(ctx.data.evidence_dir)
    docs = ctx.store.query(
        "SELECT id, form_id, title, number, version, status, supersedes_id, pdf_sha256,"
        " font_sha256, content_sha256, issued_at FROM documents"
        " WHERE case_id = ? AND status IN ('issued', 'superseded') ORDER BY issued_at",
        [case["id"]],
    )
    total = len(case["evidence"]) + len(docs) + 1
    done = 0
    files: dict[str, str] = {}  # archive name -> sha256
    with staged_file(out) as fh, zipfile.ZipFile(fh, "w") as zf:
        evidence_entries = []
        for ev in case["evidence"]:
            path = blobs.path_for(ev["sha256"])
            name = f"evidence/{ev['sha256']}_{_safe(ev['original_name'])}"
            _write_streamed(zf, name, path, ev)
            files[name] = ev["sha256"]
            entry = {**ev, "file": name}
            log = gps_logs.for_evidence(ctx.store, ev["id"])
            if log is not None:  # the recording's GPS log, beside it
                name = f"evidence/{log['sha256']}_{_safe(log['original_name'])}"
                _write_streamed(zf, name, blobs.path_for(log["sha256"]), {**log, "kind": "log"})
                files[name] = log["sha256"]
                entry["gps_log"] = {**log, "file": name}
            evidence_entries.append(entry)
            done += 1
            if progress:
                progress(done, total)
        doc_entries = []
        for d in docs:
            path = ctx.data.root / "documents" / f"{d['pdf_sha256']}.pdf"
            if not path.is_file():
                from officer_app.services.documents import render_to

                render_to(ctx, d["id"], path)
            data = path.read_bytes()
            if sha256_bytes(data) != d["pdf_sha256"]:
                raise PackageError(
                    f"文书“{d['number']}”的存档PDF与记录的SHA-256不一致，已停止导出。",
                    f"{path} changed",
                )
            name = f"documents/{_safe(d['number'] or d['id'])}_{d['pdf_sha256'][:12]}.pdf"
            zf.writestr(_zinfo(name), data)
            files[name] = d["pdf_sha256"]
            doc_entries.append({**d, "file": name})
            done += 1
            if progress:
                progress(done, total)
        ids = {case["id"], *(e["id"] for e in case["evidence"]), *(d["id"] for d in docs)}
        segment = _ledger_segment(ctx, ids)
        ledger_bytes = "".join(
            json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in segment
        ).encode("utf-8")
        for name, data in custody_package.members(ctx, segment).items():
            zf.writestr(_zinfo(name), data)
            files[name] = sha256_bytes(data)
        manifest = {
            "format": FORMAT,
            "exported_at": ctx.now_iso(),
            "case": {
                k: case[k]
                for k in (
                    "id",
                    "type",
                    "status",
                    "taken_at",
                    "place",
                    "position",
                    "jurisdiction",
                    "description",
                    "legal_basis",
                    "training",
                )
            },
            "parties": [
                {k: p[k] for k in ("kind", "name", "id_number", "plate")} for p in case["parties"]
            ],
            "evidence": evidence_entries,
            "documents": doc_entries,
            "ledger": {
                "file": "ledger.jsonl",
                "first_seq": segment[0]["seq"] if segment else None,
                "last_seq": segment[-1]["seq"] if segment else None,
                "last_hash": segment[-1]["hash"] if segment else None,
                "entity_ids": sorted(ids),
            },
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        readme = README.format(case_id=case["id"], exported_at=manifest["exported_at"])
        for name, data in (
            ("manifest.json", manifest_bytes),
            ("ledger.jsonl", ledger_bytes),
            ("README.txt", readme.encode("utf-8")),
        ):
            zf.writestr(_zinfo(name), data)
            files[name] = sha256_bytes(data)
        sums = "".join(f"{h}  {n}\n" for n, h in sorted(files.items()))
        zf.writestr(_zinfo("SHA256SUMS"), sums.encode("utf-8"))
    if progress:
        progress(total, total)
    return {
        "case_id": case["id"],
        "out": str(out),
        "sha256": sha256_file(out),
        "evidence": len(case["evidence"]),
        "documents": len(docs),
        "ledger_entries": len(segment),
    }


# Checking -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackageProblem:
    kind: str  # unreadable / sums_missing / changed / missing / unlisted / manifest / ledger_*
    ref: str
    message_zh: str


def _hash_member(
    zf: zipfile.ZipFile, name: str, problem: Callable[[str, str, str], None]
) -> str | None:
    """SHA-256 of one archive member, streamed (a recording in the package may be GBs)."""
    try:
        with zf.open(name) as member:
            # ZipFile.open is typed IO[bytes]; it gives a ZipExtFile, a BufferedIOBase.
            return sha256_stream(member)  # type: ignore[arg-type]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:  # torn deflate
        problem("unreadable", name, f"无法读取包内文件 {name}：{exc}")
        return None


def check_package(path: Path) -> dict[str, Any]:
    """Verify a package on its own: ``{"ok", "problems", "checked": {...}}``.

    A file that cannot be read at all (missing, unreadable, a folder, a FIFO) is not a package
    that failed its check but a check that could not run: it raises, naming the file.
    """
    problems: list[PackageProblem] = []

    def problem(kind: str, ref: str, message: str) -> None:
        problems.append(PackageProblem(kind, ref, message))

    checked = {"files": 0, "evidence": 0, "gps_logs": 0, "documents": 0, "ledger_entries": 0}
    try:
        zf = zipfile.ZipFile(check_input(path))  # a FIFO or device is refused, not read
    except OSError as exc:  # not checked at all: a failure of the command, not of the package
        raise file_error(exc, path, "读取证据包") from exc
    except zipfile.BadZipFile:
        problem(
            "unreadable",
            display_path(path),
            "无法打开证据包：不是有效的 ZIP 文件（已损坏或不完整）",
        )
        return _result(problems, checked)
    with zf:
        names = {i.filename for i in zf.infolist() if not i.is_dir()}

        def read(name: str) -> bytes | None:
            try:
                return zf.read(name)
            except (KeyError, zipfile.BadZipFile, OSError, zlib.error) as exc:  # torn deflate too
                problem("unreadable", name, f"无法读取包内文件 {name}：{exc}")
                return None

        if "SHA256SUMS" not in names:
            problem("sums_missing", "SHA256SUMS", "缺少校验文件 SHA256SUMS")
            listed: dict[str, str] = {}
        else:
            listed = {}
            for line in (read("SHA256SUMS") or b"").decode("utf-8", "replace").splitlines():
                m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line.strip())
                if m:
                    listed[m.group(2)] = m.group(1)
                elif line.strip():
                    problem("sums_format", line[:40], f"SHA256SUMS 中有无法识别的行：{line[:60]}")
        actual: dict[str, str] = {}
        for name in sorted(listed):
            if name not in names:
                problem("missing", name, f"文件缺失：{name}")
                continue
            digest = _hash_member(zf, name, problem)
            if digest is None:
                continue
            actual[name] = digest
            checked["files"] += 1
            if actual[name] != listed[name]:
                problem("changed", name, f"文件已被改动（SHA-256 不符）：{name}")
        for name in sorted(names - set(listed) - {"SHA256SUMS"}):
            problem("unlisted", name, f"包内有未列入 SHA256SUMS 的文件：{name}")

        manifest: dict[str, Any] = {}
        raw = read("manifest.json") if "manifest.json" in names else None
        if raw is None:
            problem("manifest", "manifest.json", "缺少清单 manifest.json")
        else:
            try:
                manifest = json.loads(raw.decode("utf-8"))
            except ValueError:
                problem("manifest", "manifest.json", "清单 manifest.json 无法解析")
        for ev in manifest.get("evidence", []):
            checked["evidence"] += 1
            name = ev.get("file", "")
            if name not in names:
                problem("missing", name, f"清单所列证据文件缺失：{ev.get('original_name', name)}")
            elif name in actual and actual[name] != ev.get("sha256"):
                problem(
                    "manifest",
                    name,
                    f"证据文件与清单记录的SHA-256不一致：{ev.get('original_name', name)}",
                )
            elif not name.startswith(f"evidence/{ev.get('sha256')}_"):
                problem("manifest", name, f"证据文件名与其SHA-256不符：{name}")
            checked["gps_logs"] += gps_logs.check_in_package(ev, names, actual, problem)
        for doc in manifest.get("documents", []):
            checked["documents"] += 1
            name = doc.get("file", "")
            if name not in names:
                problem("missing", name, f"清单所列文书缺失：{doc.get('number') or name}")
            elif name in actual and actual[name] != doc.get("pdf_sha256"):
                problem(
                    "manifest", name, f"文书PDF与记录的SHA-256不一致：{doc.get('number') or name}"
                )
        _check_ledger(read, names, manifest, problem, checked)
        witness = custody_package.check(read, names, problem)
    return {**_result(problems, checked), "witness": witness}


def _check_ledger(
    read: Callable[[str], bytes | None],
    names: set[str],
    manifest: dict[str, Any],
    problem: Callable[[str, str, str], None],
    checked: dict[str, int],
) -> None:
    if "ledger.jsonl" not in names:
        problem("ledger_missing", "ledger.jsonl", "缺少日志文件 ledger.jsonl")
        return
    raw = read("ledger.jsonl") or b""
    entries = []
    for i, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        try:
            entries.append(json.loads(line))
        except ValueError:
            problem("ledger_format", f"line {i}", f"日志第{i}行无法解析")
    prev_hash: str | None = None
    prev_seq: int | None = None
    issued: dict[str, dict[str, Any]] = {}
    intake: dict[str, dict[str, Any]] = {}
    for e in entries:
        seq = e.get("seq")
        checked["ledger_entries"] += 1
        if prev_seq is not None and seq != prev_seq + 1:
            problem("ledger_gap", str(seq), f"日志条目不连续：第{prev_seq}条之后是第{seq}条")
        if prev_hash is not None and e.get("prev_hash") != prev_hash:
            problem("ledger_broken_link", str(seq), f"日志链断裂：第{seq}条的前序哈希不符")
        if e.get("full"):
            recomputed = entry_hash(
                seq,
                e["kind"],
                e["entity_id"],
                e["payload"],
                e.get("officer_id"),
                e["at"],
                e["prev_hash"],
            )
            if recomputed != e.get("hash"):
                problem("ledger_altered", str(seq), f"日志第{seq}条内容被改动（哈希不符）")
            try:
                payload = json.loads(e["payload"])
            except ValueError:
                payload = {}
            if e["kind"] == "document_issued":
                issued[e["entity_id"]] = payload
            elif e["kind"] in ("evidence_intake", "evidence_received"):
                intake[e["entity_id"]] = payload
        prev_hash, prev_seq = e.get("hash"), seq
    last = manifest.get("ledger", {}).get("last_hash")
    if entries and last and entries[-1].get("hash") != last:
        problem("ledger_truncated", "ledger.jsonl", "日志末条哈希与清单记录不符（日志可能被截短）")
    for ev in manifest.get("evidence", []):
        rec = intake.get(ev.get("id", ""))
        if rec is None:
            problem(
                "ledger_intake_missing",
                ev.get("id", ""),
                f"日志中没有证据“{ev.get('original_name')}”的入库记录",
            )
        elif rec.get("sha256") != ev.get("sha256"):
            problem(
                "ledger_intake_mismatch",
                ev.get("id", ""),
                f"证据“{ev.get('original_name')}”的SHA-256与入库记录不符",
            )
        elif not gps_logs.check_against_intake(ev, rec):
            problem(
                "ledger_intake_mismatch",
                ev.get("id", ""),
                f"录像“{ev.get('original_name')}”的GPS日志与入库记录不符",
            )
    for doc in manifest.get("documents", []):
        rec = issued.get(doc.get("id", ""))
        if rec is None:
            problem(
                "ledger_issue_missing",
                doc.get("id", ""),
                f"日志中没有文书“{doc.get('number')}”的签发记录",
            )
        elif rec.get("pdf_sha256") != doc.get("pdf_sha256"):
            problem(
                "ledger_issue_mismatch",
                doc.get("id", ""),
                f"文书“{doc.get('number')}”的SHA-256与签发记录不符",
            )


def _result(problems: list[PackageProblem], checked: dict[str, int]) -> dict[str, Any]:
    return {"ok": not problems, "problems": [asdict(p) for p in problems], "checked": checked}
