"""A fuzz of the command line: every command x the bad-input classes of issue 16.

Each case is one command line with exactly one thing wrong: an unusable data dir, an ID that is
too long or not UTF-8, a non-finite coordinate, a URL that does not parse, an output path that
cannot be written, an input that is a FIFO or a device, a port out of range or in use.  The
contract checked for each: the process ends (no hang), no Python traceback, no 内部错误, no
``--- Logging error ---``, one line on stderr with Chinese in it, and the exit code of its class
(2 usage, 1 failed).

Cases run in worker processes that call ``officer_app.__main__.main`` in-process (fast), one case
after the other with stdout/stderr captured; the cases that could hang or read forever (FIFOs,
devices, ``platform serve``) run as their own subprocess with a timeout.  Permission cases need
the kernel to refuse: as root, their worker runs under ``setpriv`` without CAP_DAC_OVERRIDE.

Run it against any checkout to count (``--code`` points the workers at that tree)::

    .venv/bin/python tests/cli_fuzz.py [--code /path/to/old/checkout] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
NON_UTF8 = os.fsdecode(b"bad-\xff\xfe-name")  # what Python makes of such bytes in argv
LONG_ID = "x" * 100_000
TOKEN_ENV = "OFFICER_APP_TOKEN"


# Cases -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]
    expect: tuple[int, ...]
    #: inproc: in a worker; unprivileged: in a worker without CAP_DAC_OVERRIDE (when root);
    #: subprocess: a process of its own with a timeout (things that may hang or read forever).
    mode: str = "inproc"
    env: tuple[tuple[str, str], ...] = ()
    stdin: str | None = None


@dataclass(frozen=True)
class Command:
    """A command line that works, with the parts a case may spoil named by placeholder."""

    name: str
    argv: tuple[str, ...]
    data_dir: bool = True  # it opens the data dir (so the data-dir classes apply)
    reads_only: bool = False  # may succeed on a read-only store
    ids: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    dirs_ok: bool = False  # a folder is a valid input (evidence import)
    #: a missing or unreadable input: the command fails (import: the file is rejected, exit 3)
    unreadable_exit: tuple[int, ...] = (1,)
    env: tuple[tuple[str, str], ...] = ()
    data_name: str = "data"  # the data dir of the good command line (the platform's has its own)


def _c(name: str, line: str, **kw: Any) -> Command:
    return Command(name, tuple(line.split()), **kw)


LOGIN_ENV = ((TOKEN_ENV, "not-a-real-token"),)

COMMANDS: tuple[Command, ...] = (
    _c("init", "init --officer-name 王五 --badge 9 --agency 310118"),
    _c("demo", "demo", reads_only=True),  # loaded already: writes nothing
    _c("info", "info", reads_only=True),
    _c(
        "patrol-new",
        "patrol new --type 陆路巡查 --start 2026-07-01T09:00 --end 2026-07-01T12:00"
        " --agency 310118",
    ),
    _c("patrol-list", "patrol list", reads_only=True),
    _c("patrol-show", "patrol show {patrol}", ids=("patrol",), reads_only=True),
    _c("patrol-start", "patrol start {patrol}", ids=("patrol",)),
    _c("patrol-close", "patrol close {patrol}", ids=("patrol",)),
    _c("patrol-amend", "patrol amend {patrol} area=新区域 --reason 更正", ids=("patrol",)),
    _c(
        "evidence-import",
        "evidence import {photo}",
        inputs=("photo",),
        dirs_ok=True,
        unreadable_exit=(3,),
    ),
    _c("evidence-list", "evidence list", reads_only=True),
    _c(
        "evidence-export",
        "evidence export --case {case} --out {pkg_out}",
        ids=("case",),
        outputs=("pkg_out",),
        reads_only=True,
    ),
    _c(
        "evidence-check-package",
        "evidence check-package {package}",
        data_dir=False,
        inputs=("package",),
    ),
    _c(
        "evidence-position",
        "evidence position {evidence} 31.1 121.1 --reason 手工",
        ids=("evidence",),
    ),
    _c(
        "evidence-jurisdiction",
        "evidence jurisdiction {evidence} 310118 --reason 更正",
        ids=("evidence",),
    ),
    _c("verify", "verify", reads_only=True),
    _c("track-import", "track import {gpx}", inputs=("gpx",)),
    _c("jurisdiction", "jurisdiction 31.1 121.1", reads_only=True),
    _c("case-new", "case new --violation JZLJ-01 --evidence {evidence}", ids=("evidence",)),
    _c("case-list", "case list", reads_only=True),
    _c("case-show", "case show {case}", ids=("case",), reads_only=True),
    _c("case-jurisdiction", "case jurisdiction {case} 310118 --reason 更正", ids=("case",)),
    _c("validate", "validate id 11010519491231002X", data_dir=False),
    _c("document-forms", "document forms", reads_only=True),
    _c("document-new", "document new case_transfer --case {case}", ids=("case",)),
    _c("document-set", "document set {doc} place=某处", ids=("doc",)),
    _c("document-issue", "document issue {doc}", ids=("doc",)),
    _c(
        "document-render",
        "document render {doc} --out {pdf_out}",
        ids=("doc",),
        outputs=("pdf_out",),
        reads_only=True,
    ),
    _c("document-list", "document list", reads_only=True),
    _c("document-show", "document show {doc}", ids=("doc",), reads_only=True),
    _c("document-correct", "document correct {doc}", ids=("doc",)),
    _c(
        "bulletin",
        "bulletin --quarter 2026Q3 --draft --out {pdf_out}",
        outputs=("pdf_out",),
        reads_only=True,
    ),
    _c("backup", "backup --out {zip_out}", outputs=("zip_out",), reads_only=True),
    _c("restore", "restore {backup}", inputs=("backup",)),
    _c(
        "platform-import-bundle",
        "platform import-bundle {bundle}",
        inputs=("bundle",),
        data_name="platform",
    ),
    _c(
        "platform-bulletin",
        "platform bulletin --quarter 2026Q3 --agency 310118 --out {pdf_out}",
        outputs=("pdf_out",),
        data_name="platform",
    ),
    _c(
        "platform-add-officer",
        "platform add-officer --agency 310118 --officer-name 甲 --badge 1",
        data_name="platform",
    ),
    _c("platform-revoke", "platform revoke {token_id}", ids=("token_id",), data_name="platform"),
    _c("login", "login --server http://127.0.0.1:9", env=LOGIN_ENV),
    _c("sync", "sync"),
    _c("transfer-list", "transfer list", reads_only=True),
    _c("transfer-accept", "transfer accept {transfer}", ids=("transfer",)),
    _c("transfer-return", "transfer return {transfer} --reason 不属本辖区", ids=("transfer",)),
    _c(
        "transfer-feedback",
        "transfer feedback {transfer} --result 处罚决定",
        ids=("transfer",),
    ),
    _c("bundle-export", "bundle export --out {zip_out}", outputs=("zip_out",), reads_only=True),
    _c("case-file", "case file {case}", ids=("case",)),
    _c("case-dispute", "case dispute {case} --with 320509 --step 协商", ids=("case",)),
    _c("catalogue-list", "catalogue list", reads_only=True),
    _c("catalogue-check", "catalogue check {catalogue}", data_dir=False, inputs=("catalogue",)),
    _c("catalogue-confirm", "catalogue confirm {doc}", ids=("doc",)),
    _c("transfer-joint", "transfer joint {case} --to 320509", ids=("case",)),
    _c("transfer-decline", "transfer decline {transfer} --reason 不同意", ids=("transfer",)),
    _c("pin-clear", "pin clear --badge DEMO-310118-01 --agency 310118-jz"),
)

#: Arguments of one kind, each spoilt in the ways of its kind (command, argv with {}, expected).
NUMBERS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("jurisdiction", "jurisdiction {} 121", ("nan", "inf", "-inf", "1e400", "999", "-91")),
    ("jurisdiction", "jurisdiction 31.1 {}", ("nan", "inf", "1e400", "181", "-999")),
    ("jurisdiction", "jurisdiction 31.1 121.1 --near-border {}", ("nan", "inf", "-5")),
    ("evidence-position", "evidence position {evidence} {} 121 --reason 手工", ("nan", "999")),
    ("evidence-position", "evidence position {evidence} 31 {} --reason 手工", ("inf", "-181")),
    ("track-import", "track import {gpx} --clock-offset {}", ("nan", "inf", "1e400")),
    ("track-import", "track import {gpx} --max-gap {}", ("nan", "-1", "inf")),
    (
        "transfer-feedback",
        "transfer feedback {transfer} --result 处罚决定 --fine {}",
        ("nan", "-1", "inf", "1e400"),
    ),
    ("sync", "sync --block-size {}", ("0", "-1", "1000000000000")),
    ("patrol-amend", "patrol amend {patrol} area=x --reason r --version {}", ("0", "-1")),
    ("platform-serve", "platform serve --port {}", ("99999", "-1", "0", "65536")),
)
#: Agency codes of the other party, each spoilt (a usage error, before the store is opened).
AGENCIES: tuple[tuple[str, str], ...] = (
    ("transfer-joint", "transfer joint {case} --to {}"),
    ("case-dispute", "case dispute {case} --with {} --step 协商"),
    ("case-dispute", "case dispute {case} --with 320509 --step 协商一致 --handler {}"),
)
BAD_AGENCIES = ("", "31011", "3205O9", "320509-" + "x" * 100, LONG_ID, NON_UTF8)
URLS = (
    "http://[::1",
    "http://",
    "ftp://example.com",
    "example.com",
    "http://a:99999",
    "http://exa mple.com",
    "https://:443",
)


def _placeholder_values(ws: Path, ids: dict[str, str]) -> dict[str, str]:
    return {
        **ids,
        "photo": str(ws / "in" / "photo.jpg"),
        "package": str(ws / "in" / "package.zip"),
        "gpx": str(ws / "in" / "track.gpx"),
        "backup": str(ws / "in" / "backup.zip"),
        "bundle": str(ws / "in" / "bundle.zip"),
        "catalogue": str(ws / "in" / "violations.json"),
        "pkg_out": str(ws / "out" / "package.zip"),
        "pdf_out": str(ws / "out" / "doc.pdf"),
        "zip_out": str(ws / "out" / "out.zip"),
    }


def _fill(argv: tuple[str, ...], values: dict[str, str]) -> tuple[str, ...]:
    return tuple(a.format(**values) if "{" in a else a for a in argv)


def _dd(ws: Path, name: str = "data") -> tuple[str, ...]:
    return ("--data-dir", str(ws / name))


def build_cases(ws: Path, ids: dict[str, str], busy_port: int) -> list[Case]:
    """Every case, deterministic for one workspace."""
    values = _placeholder_values(ws, ids)
    cases: list[Case] = []

    def add(case_id: str, argv: tuple[str, ...], expect: tuple[int, ...], **kw: Any) -> None:
        cases.append(Case(case_id, argv, expect, **kw))

    for cmd in COMMANDS:
        good = _fill(cmd.argv, values)
        kw = {"env": cmd.env}
        if cmd.data_dir:
            base = cmd.data_name
            add(f"{cmd.name}/data-dir-is-a-file", _dd(ws, "afile") + good, (2,), **kw)
            add(f"{cmd.name}/data-dir-not-utf8", _dd(ws, NON_UTF8) + good, (2,), **kw)
            add(f"{cmd.name}/data-dir-parent-is-a-file", _dd(ws, "afile/sub") + good, (2,), **kw)
            ro = (0, 1) if cmd.reads_only else (1,)
            add(
                f"{cmd.name}/data-dir-read-only",
                _dd(ws, f"{base}-ro") + good,
                ro,
                mode="unprivileged",
                **kw,
            )
            add(
                f"{cmd.name}/data-dir-unreadable",
                _dd(ws, f"{base}-noperm") + good,
                (1,),
                mode="unprivileged",
                **kw,
            )
            add(
                f"{cmd.name}/store-read-only",
                _dd(ws, f"{base}-store-ro") + good,
                ro,
                mode="unprivileged",
                **kw,
            )
        for slot in cmd.ids:
            for label, bad in (("long", LONG_ID), ("not-utf8", NON_UTF8), ("empty", "")):
                argv = _dd(ws, cmd.data_name) + _fill(cmd.argv, {**values, slot: bad})
                add(f"{cmd.name}/{slot}-{label}", argv, (2,), **kw)
        for slot in cmd.inputs:
            bad_inputs = [
                ("fifo", str(ws / "in" / "fifo"), (2,), "subprocess"),
                ("device", str(ws / "in" / "zero"), (2,), "subprocess"),
                ("missing", str(ws / "in" / "missing.bin"), cmd.unreadable_exit, "inproc"),
                ("unreadable", str(ws / "in" / "noperm.bin"), cmd.unreadable_exit, "unprivileged"),
                ("not-utf8", str(ws / "in" / NON_UTF8), (2,), "inproc"),
            ]
            if not cmd.dirs_ok:
                bad_inputs.append(("directory", str(ws / "in"), (2,), "inproc"))
            for label, bad, expect, mode in bad_inputs:
                argv = _dd(ws, cmd.data_name) + _fill(cmd.argv, {**values, slot: bad})
                add(f"{cmd.name}/input-{label}", argv, expect, mode=mode, **kw)
        for slot in cmd.outputs:
            for label, bad, expect, mode in (
                ("directory", str(ws / "out"), (2,), "inproc"),
                # A device node of our own: as root, a writer that does not refuse devices would
                # replace the node by a regular file (the old code did that to /dev/full).
                ("device", str(ws / "out" / "full"), (2,), "inproc"),
                ("read-only-dir", str(ws / "ro-out" / "x.bin"), (1,), "unprivileged"),
                ("parent-is-a-file", str(ws / "afile" / "x.bin"), (1,), "inproc"),
                ("not-utf8", str(ws / "out" / NON_UTF8), (2,), "inproc"),
            ):
                argv = _dd(ws, cmd.data_name) + _fill(cmd.argv, {**values, slot: bad})
                add(f"{cmd.name}/output-{label}", argv, expect, mode=mode, **kw)
    for name, line, bads in NUMBERS:
        for bad in bads:
            parts = tuple(p.replace("{}", bad) for p in line.split())
            mode = "subprocess" if name == "platform-serve" else "inproc"
            add(
                f"{name}/number {line.replace('{}', bad)}",
                _dd(ws) + _fill(parts, values),
                (2,),
                mode=mode,
            )
    for name, line in AGENCIES:
        for i, bad in enumerate(BAD_AGENCIES):
            parts = tuple(bad if p == "{}" else p for p in line.split())
            flag = line.split("{}")[0].split()[-1]
            add(f"{name}/agency {flag} #{i}", _dd(ws) + _fill(parts, values), (2,))
    add("document-fonts/unknown-argument", (*_dd(ws), "document", "fonts", "--bogus"), (2,))
    # It needs no data dir, so an unusable one does not stop it.
    add("document-fonts/data-dir-is-a-file", (*_dd(ws, "afile"), "document", "fonts"), (0,))
    for url in URLS:
        add(f"login/url {url}", (*_dd(ws), "login", "--server", url), (2,), env=LOGIN_ENV)
    add("validate/value-not-utf8", ("validate", "id", NON_UTF8), (2,))
    add("validate/kind-unknown", ("validate", "passport", "X"), (2,))
    add(
        "login/token-on-command-line",
        (*_dd(ws), "login", "--server", "http://127.0.0.1:9", "--token", "secret"),
        (2,),
    )
    add(
        "login/no-token-anywhere",
        (*_dd(ws), "login", "--server", "http://127.0.0.1:9"),
        (2,),
        mode="subprocess",
        stdin="",
    )
    add(
        "login/empty-token-on-stdin",
        (*_dd(ws), "login", "--server", "http://127.0.0.1:9", "--token-stdin"),
        (2,),
        mode="subprocess",
        stdin="\n",
    )
    add(
        "platform-serve/port-in-use",
        (*_dd(ws, "platform"), "platform", "serve", "--port", str(busy_port)),
        (1,),
        mode="subprocess",
    )
    add(
        "platform-serve/bad-host",
        (*_dd(ws, "platform"), "platform", "serve", "--port", "0", "--host", "no such host"),
        (2,),
        mode="subprocess",
    )
    return cases


# Workspace ---------------------------------------------------------------------------------------
def _cli_json(python: str, env: dict[str, str], *argv: str) -> Any:
    proc = subprocess.run(
        [python, "-m", "officer_app", *argv, "--json"], capture_output=True, env=env, timeout=300
    )
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"{argv}: {proc.returncode} {proc.stderr.decode()}")
    return json.loads(proc.stdout)


def _gpx(path: Path) -> None:
    points = "".join(
        f'<trkpt lat="{31.0135 + i * 1e-4:.6f}" lon="120.8370"><time>2026-11-20T01:{20 + i}:00Z'
        "</time></trkpt>"
        for i in range(20)
    )
    path.write_text(
        '<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/'
        f'GPX/1/1"><trk><trkseg>{points}</trkseg></trk></gpx>',
        encoding="utf-8",
    )


def _read_only_tree(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
    root.chmod(0o555)


def build_workspace(ws: Path, env: dict[str, str], python: str = sys.executable) -> dict[str, str]:
    """The demo data dir and the files the cases point at, made by the code under test."""
    data = ws / "data"
    demo = _cli_json(python, env, "--data-dir", str(data), "demo")
    ids = {
        "patrol": demo["patrol_id"],
        "case": demo["case_id"],
        "evidence": demo["evidence"][0],
        "transfer": str(uuid.uuid4()),
        "token_id": "tok-" + uuid.uuid4().hex[:8],
    }
    doc = _cli_json(
        python,
        env,
        "--data-dir",
        str(data),
        "document",
        "new",
        "case_transfer",
        "--case",
        ids["case"],
    )
    ids["doc"] = doc["id"]
    (ws / "in").mkdir()
    (ws / "out").mkdir()
    sys.path.insert(0, str(REPO_ROOT))
    from tests.photos import make_photo

    make_photo(ws / "in" / "photo.jpg", seed=4242)
    _gpx(ws / "in" / "track.gpx")
    shutil.copy(REPO_ROOT / "resources" / "codes" / "violations.json", ws / "in")
    _cli_json(
        python,
        env,
        "--data-dir",
        str(data),
        "evidence",
        "export",
        "--case",
        ids["case"],
        "--out",
        str(ws / "in" / "package.zip"),
    )
    _cli_json(
        python, env, "--data-dir", str(data), "backup", "--out", str(ws / "in" / "backup.zip")
    )
    try:
        _cli_json(
            python,
            env,
            "--data-dir",
            str(data),
            "bundle",
            "export",
            "--out",
            str(ws / "in" / "bundle.zip"),
        )
    except RuntimeError:
        (ws / "in" / "bundle.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    os.mkfifo(ws / "in" / "fifo")
    _device(ws / "in" / "zero", 5, "/dev/zero")
    _device(ws / "out" / "full", 7, "/dev/full")
    (ws / "in" / "noperm.bin").write_bytes(b"secret")
    (ws / "in" / "noperm.bin").chmod(0)
    shutil.copy(ws / "in" / "photo.jpg", ws / "in" / NON_UTF8)
    (ws / "afile").write_bytes(b"not a folder")
    shutil.copytree(data, ws / NON_UTF8)
    (ws / "ro-out").mkdir()
    (ws / "ro-out").chmod(0o555)
    _cli_json(
        python,
        env,
        "--data-dir",
        str(ws / "platform"),
        "platform",
        "add-officer",
        "--agency",
        "310118",
        "--officer-name",
        "甲",
        "--badge",
        "1",
    )
    for name in ("data", "platform"):
        _unusable_copies(ws, name)
    return ids


def _unusable_copies(ws: Path, name: str) -> None:
    """Read-only, unreadable and read-only-store copies of a working data dir."""
    source = ws / name
    shutil.copytree(source, ws / f"{name}-ro")
    _read_only_tree(ws / f"{name}-ro")
    shutil.copytree(source, ws / f"{name}-noperm")
    (ws / f"{name}-noperm").chmod(0)
    shutil.copytree(source, ws / f"{name}-store-ro")
    for path in (ws / f"{name}-store-ro").rglob("*.sqlite3*"):
        path.chmod(0o444)


def _device(path: Path, minor: int, fallback: str) -> None:
    """A character device (1, minor) of our own when root may make one, else a symlink to the
    system's (which a non-root writer cannot replace)."""
    if os.geteuid() == 0:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    else:
        path.symlink_to(fallback)


# Running -----------------------------------------------------------------------------------------
@dataclass
class Result:
    id: str
    rc: int | None
    stdout: str
    stderr: str
    expect: tuple[int, ...]
    traceback: str = ""
    hung: bool = False
    failures: list[str] = field(default_factory=list)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def judge(result: Result) -> Result:
    """The contract of issue 16, item 3, for one case."""
    err, failures = result.stderr, result.failures
    if result.hung:
        failures.append("hang")
        return result
    if result.traceback or "Traceback (most recent call last)" in err:
        failures.append("traceback")
    if "内部错误" in err:
        failures.append("internal-error")
    if "Logging error" in err:
        failures.append("logging-error")
    if result.rc not in result.expect:
        failures.append(f"exit {result.rc} (want {'/'.join(map(str, result.expect))})")
    if result.rc in (1, 2):  # failed or usage: one Chinese line says why
        lines = [line for line in err.splitlines() if line.strip()]
        if len(lines) != 1:
            failures.append(f"{len(lines)} lines on stderr")
        elif not has_cjk(lines[0]):
            failures.append("no Chinese message")
        if len(err) > 2000:
            failures.append(f"stderr of {len(err)} characters")
    return result


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "backslashreplace")


def run_in_process(case: Case) -> Result:
    """One case through ``main`` with stdout/stderr captured (workers call this)."""
    from officer_app.__main__ import main

    with contextlib.suppress(ImportError):
        from officer_app.logs import shutdown_logging

        shutdown_logging()
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="backslashreplace")
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace")
    saved = sys.stdout, sys.stderr, dict(os.environ)
    sys.stdout, sys.stderr = stdout, stderr
    os.environ.update(dict(case.env))
    tb = ""
    try:
        rc: int | None = main(list(case.argv))
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # what the contract forbids: record it, go on with the next case
        tb = traceback.format_exc()
        rc = None
    finally:
        with contextlib.suppress(Exception):
            stdout.flush()
            stderr.flush()
        sys.stdout, sys.stderr = saved[0], saved[1]
        os.environ.clear()
        os.environ.update(saved[2])
    return Result(case.id, rc, _decode(out.getvalue()), _decode(err.getvalue()), case.expect, tb)


def _worker_main() -> int:
    cases = [
        Case(
            **{
                **c,
                "argv": tuple(c["argv"]),
                "expect": tuple(c["expect"]),
                "env": tuple(map(tuple, c["env"])),
            }
        )
        for c in json.load(sys.stdin)
    ]
    os.chdir(os.environ.get("CLI_FUZZ_CWD", "."))
    results = [asdict(run_in_process(case)) for case in cases]
    real_stdout = sys.__stdout__
    assert real_stdout is not None
    real_stdout.buffer.write(json.dumps(results, ensure_ascii=True).encode())
    real_stdout.flush()
    return 0


def _unprivileged_prefix() -> list[str]:
    """As root the kernel ignores file modes; drop CAP_DAC_* so the modes are enforced."""
    if os.name != "posix" or os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise RuntimeError("running as root needs setpriv (util-linux) to drop CAP_DAC_OVERRIDE")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


def worker_env(code_dir: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(code_dir)] if code_dir else []
    paths.append(str(REPO_ROOT))
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")])
    env.setdefault("PYTHON_KEYRING_BACKEND", "tests.keyring_memory.MemoryKeyring")
    env.pop(TOKEN_ENV, None)
    return env


def _run_workers(
    cases: list[Case], ws: Path, env: dict[str, str], prefix: list[str]
) -> list[Result]:
    if not cases:
        return []
    proc = subprocess.run(
        [*prefix, sys.executable, str(Path(__file__).resolve()), "--worker"],
        input=json.dumps([asdict(c) for c in cases]).encode(),
        capture_output=True,
        env={**env, "CLI_FUZZ_CWD": str(ws)},
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"fuzz worker failed: {_decode(proc.stderr)[-3000:]}")
    raw = json.loads(proc.stdout)
    return [Result(**{**r, "expect": tuple(r["expect"])}) for r in raw]


def run_subprocess(case: Case, ws: Path, env: dict[str, str], timeout: float = 20) -> Result:
    """A case that may hang: its own process, killed after ``timeout`` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "officer_app", *case.argv],
            stdin=subprocess.PIPE if case.stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env={**env, **dict(case.env)},
            cwd=ws,
            start_new_session=True,
        )
        hung = False
        try:
            proc.communicate(
                input=None if case.stdin is None else case.stdin.encode(), timeout=timeout
            )
        except subprocess.TimeoutExpired:
            hung = True
            proc.kill()
            proc.wait()
        out.seek(0)
        err.seek(0)
        return Result(
            case.id,
            None if hung else proc.returncode,
            _decode(out.read()),
            _decode(err.read()),
            case.expect,
            hung=hung,
        )


def run_all(cases: list[Case], ws: Path, env: dict[str, str], timeout: float = 20) -> list[Result]:
    by_mode: dict[str, list[Case]] = {"inproc": [], "unprivileged": [], "subprocess": []}
    for case in cases:
        by_mode[case.mode].append(case)
    results = _run_workers(by_mode["inproc"], ws, env, [])
    results += _run_workers(by_mode["unprivileged"], ws, env, _unprivileged_prefix())
    results += [run_subprocess(c, ws, env, timeout) for c in by_mode["subprocess"]]
    order = {c.id: i for i, c in enumerate(cases)}
    return sorted((judge(r) for r in results), key=lambda r: order[r.id])


@contextlib.contextmanager
def busy_port() -> Iterator[int]:
    """A port something is listening on, for the "port in use" case."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def cleanup_workspace(ws: Path) -> None:
    for path in [ws, *ws.rglob("*")]:
        with contextlib.suppress(OSError):
            if not path.is_symlink():
                path.chmod(stat.S_IRWXU | (path.stat().st_mode & 0o777))
    shutil.rmtree(ws, ignore_errors=True)


def summarise(results: list[Result]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for r in results:
        counts["cases"] += 1
        if not r.failures:
            counts["ok"] += 1
            continue
        counts["failed"] += 1
        kinds = {f.split(" ")[0] for f in r.failures}
        if kinds & {"traceback", "internal-error"}:
            counts["traceback or 内部错误"] += 1
        if "hang" in kinds:
            counts["hang"] += 1
        if "logging-error" in kinds:
            counts["logging error"] += 1
        if "exit" in kinds:
            counts["wrong exit code"] += 1
    return dict(counts)


def case_ids() -> list[str]:
    """The case ids, known without a workspace (for pytest's parametrisation)."""
    ids = dict.fromkeys(("patrol", "case", "evidence", "transfer", "token_id", "doc"), "x")
    return [c.id for c in build_cases(Path("/nonexistent"), ids, 1)]


def run_fuzz(code_dir: Path | None = None, timeout: float = 20) -> list[Result]:
    """Build a workspace with the code under test, run every case, judge each, clean up."""
    env = worker_env(code_dir)
    ws = Path(tempfile.mkdtemp(prefix="cli-fuzz-"))
    home = ws / "home"
    home.mkdir()
    env.update(
        {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "OFFICER_APP_DATA_DIR": str(ws / "default-data"),
        }
    )
    try:
        ids = build_workspace(ws, env)
        with busy_port() as port:
            return run_all(build_cases(ws, ids, port), ws, env, timeout)
    finally:
        cleanup_workspace(ws)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, help="checkout whose officer_app is fuzzed")
    parser.add_argument("--verbose", action="store_true", help="print every failing case")
    args = parser.parse_args()
    if args.worker:
        return _worker_main()
    started = time.monotonic()
    results = run_fuzz(args.code)
    for r in results:
        if r.failures and args.verbose:
            tail = (r.traceback or r.stderr).strip().splitlines()[-1:] or [""]
            print(f"FAIL {r.id}: {', '.join(r.failures)} | {tail[0][:160]}")
    print(json.dumps(summarise(results), ensure_ascii=False))
    print(f"{len(results)} cases in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
