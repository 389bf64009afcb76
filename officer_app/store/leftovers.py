"""What an interrupted write left in the evidence store, and the safe part of cleaning it up.

An import killed at the wrong moment leaves one of three things (see :mod:`blobs`): a temp file
(``tmp/<sha>.<run>.part``, or ``tmp/stream-<id>.<run>.part`` for a recording whose copy had not
finished), a stored file without its row (and, usually, the import's note saying what it was),
or a note alone (nothing was stored).  Only the leftovers of writers that are gone
count; a running import's files are its own business.

:func:`sweep` does what can never lose anything, and is run by every import before it starts and
by ``verify --repair``: a complete temp file is published (it is a whole copy of a photo), an
incomplete one is deleted (its hash says it is not one), notes whose file is absent or already
registered are deleted, and an unfinished recording copy (``stream-``: its hash was never known,
so it is never a whole copy) is deleted.  Stored files without rows are left for the caller, who can register or
quarantine them with the officer's knowledge.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from officer_app import portable
from officer_app.runlock import dead_locks, owner_alive
from officer_app.store.blobs import STREAM_RE, TEMP_RE, BlobStore

log = logging.getLogger(__name__)


@dataclass
class Leftovers:
    """The temp files of writers that are gone, and the notes of running imports."""

    parts: list[tuple[str, Path]] = field(default_factory=list)  # (expected sha, path)
    notes: dict[str, tuple[Path, dict[str, Any]]] = field(default_factory=dict)  # sha -> note
    unnamed: list[Path] = field(default_factory=list)  # temp files of an older release
    streams: list[Path] = field(default_factory=list)  # unfinished recording copies
    live: set[str] = field(default_factory=set)  # shas a running import is storing now


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _read_note(path: Path) -> dict[str, Any]:
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a note cut short by a power cut: the file itself still tells its hash
    return note if isinstance(note, dict) else {}


def scan(blobs: BlobStore) -> Leftovers:
    found = Leftovers()
    if not blobs.tmp.is_dir():
        return found
    mine = blobs._run.token if blobs._run is not None else None
    alive: dict[str, bool] = {}
    for path in sorted(blobs.tmp.iterdir()):
        stream = STREAM_RE.match(path.name)
        if stream is not None:
            token = stream.group(2)
            if token not in alive:
                alive[token] = token == mine or owner_alive(blobs.tmp, token)
            if not alive[token]:
                found.streams.append(path)
            continue
        match = TEMP_RE.match(path.name)
        if match is None:
            if path.suffix == ".part":
                found.unnamed.append(path)
            continue
        sha, token, kind = match.groups()
        if token not in alive:
            alive[token] = token == mine or owner_alive(blobs.tmp, token)
        if alive[token]:
            found.live.add(sha)
        elif kind == "part":
            found.parts.append((sha, path))
        else:
            found.notes[sha] = (path, _read_note(path))
    return found


def part_is_complete(sha: str, path: Path) -> bool:
    try:
        return _hash_file(path) == sha
    except OSError:
        return False


def sweep(blobs: BlobStore, registered: Callable[[str], bool]) -> list[dict[str, str]]:
    """Clean what can be cleaned without losing a byte; returns what was done, for the log and
    the officer.  ``registered(sha)`` says whether an evidence row points at that file.
    """
    actions: list[dict[str, str]] = []
    found = scan(blobs)
    for sha, path in found.parts:
        final = blobs.path_for(sha)
        if final.is_file():
            portable.remove(path)
            actions.append({"action": "removed_part", "sha256": sha, "why": "already stored"})
        elif part_is_complete(sha, path):
            final.parent.mkdir(parents=True, exist_ok=True)
            blobs.publish(path, final)
            actions.append({"action": "published_part", "sha256": sha, "why": "complete copy"})
        else:
            portable.remove(path)
            actions.append({"action": "removed_part", "sha256": sha, "why": "incomplete copy"})
    for path in found.streams:
        portable.remove(path)
        actions.append(
            {"action": "removed_part", "sha256": "", "file": path.name, "why": "unfinished stream"}
        )
    for sha, (path, _note) in found.notes.items():
        done = registered(sha)
        if done or not blobs.has(sha):
            portable.remove(path)
            why = "registered" if done else "nothing stored"
            actions.append({"action": "removed_note", "sha256": sha, "why": why})
    for lock in dead_locks(blobs.tmp):
        portable.remove(lock)
    for action in actions:
        log.info("evidence leftovers: %s", action)
    return actions
