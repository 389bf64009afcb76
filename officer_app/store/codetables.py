"""Load the code tables shipped in ``resources/codes`` into the store.

The files are the source of truth; the store keeps a copy so queries can join against it, and
records each table's edition and SHA-256 so a changed file is reloaded exactly once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from officer_app.store.db import Store


def _load(path: Path) -> tuple[dict[str, Any], str]:
    raw = path.read_bytes()
    return json.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()


def _is_current(store: Store, name: str, sha: str) -> bool:
    return store.scalar("SELECT sha256 FROM code_tables WHERE name = ?", [name]) == sha


def _mark_loaded(store: Store, name: str, edition: str, sha: str) -> None:
    store.db["code_tables"].upsert(
        {
            "name": name,
            "edition": edition,
            "sha256": sha,
            "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
        pk="name",
    )


def load_agencies(store: Store, path: Path) -> bool:
    data, sha = _load(path)
    if _is_current(store, "agencies", sha):
        return False
    edition = data["edition"]
    with store.transaction() as db:
        rows = []
        for agency in data["agencies"]:
            rows.append(
                {
                    "code": agency["code"],
                    "name": agency["name"],
                    "short_name": agency["short_name"],
                    "division_code": agency["division_code"],
                    "division_name": agency["division_name"],
                    "province": agency["province"],
                    "parent_code": agency.get("parent_code"),
                    "former_codes": json.dumps(agency.get("former_codes", []), ensure_ascii=False),
                    "name_confirmed": int(bool(agency.get("name_confirmed", False))),
                    "edition": edition,
                }
            )
        # Parents first, so the self-reference holds while inserting.
        rows.sort(key=lambda row: row["parent_code"] is not None)
        db["agencies"].upsert_all(rows, pk="code")
        for cluster in data["clusters"]:
            db["clusters"].upsert(
                {"name": cluster["name"], "description": cluster.get("description", "")},
                pk="name",
            )
            db.execute("DELETE FROM cluster_members WHERE cluster = ?", [cluster["name"]])
            db["cluster_members"].insert_all(
                [{"cluster": cluster["name"], "agency_code": code} for code in cluster["members"]]
            )
        _mark_loaded(store, "agencies", edition, sha)
    return True


def load_violation_types(store: Store, path: Path) -> bool:
    data, sha = _load(path)
    if _is_current(store, "violation_types", sha):
        return False
    edition = data["edition"]
    with store.transaction() as db:
        db["violation_types"].upsert_all(
            [{**entry, "edition": edition} for entry in data["violation_types"]], pk="code"
        )
        _mark_loaded(store, "violation_types", edition, sha)
    return True


def load_all(store: Store, codes_dir: Path) -> None:
    load_agencies(store, codes_dir / "agencies.json")
    load_violation_types(store, codes_dir / "violations.json")
