"""Load the code tables shipped in ``resources/codes`` into the store.

The files are the source of truth; the store keeps a copy so queries can join against it, and
records each table's edition and SHA-256 so a changed file is reloaded exactly once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from officer_app.domain import legal_catalogue
from officer_app.store.db import Store

log = logging.getLogger(__name__)


def _load(path: Path) -> tuple[dict[str, Any], str]:
    raw = path.read_bytes()
    return json.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()


def _is_current(store: Store, name: str, sha: str) -> bool:
    loaded: str | None = store.scalar("SELECT sha256 FROM code_tables WHERE name = ?", [name])
    return loaded == sha


def _mark_loaded(store: Store, name: str, edition: str, sha: str) -> None:
    store.db.table("code_tables").upsert(
        {
            "name": name,
            "edition": edition,
            "sha256": sha,
            "loaded_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        },
        pk="name",
    )


def load_agencies(store: Store, path: Path) -> bool:
    if _unchanged(store, "agencies", path):
        return False
    data, sha = _load(path)
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
        db.table("agencies").upsert_all(rows, pk="code")
        for cluster in data["clusters"]:
            db.table("clusters").upsert(
                {"name": cluster["name"], "description": cluster.get("description", "")},
                pk="name",
            )
            db.execute("DELETE FROM cluster_members WHERE cluster = ?", [cluster["name"]])
            db.table("cluster_members").insert_all(
                [{"cluster": cluster["name"], "agency_code": code} for code in cluster["members"]]
            )
        _mark_loaded(store, "agencies", edition, sha)
    return True


def _legacy_columns(vt: dict[str, Any], instruments: dict[str, Any]) -> dict[str, Any]:
    """The province-independent basis kept in ``violation_types`` for readers of the old columns."""
    national = [
        {**c, "title": instruments[c["instrument"]]["title"]} for c in vt.get("national", [])
    ]
    obligation = [c for c in national if c["role"] == "obligation"]
    penalty = [c for c in national if c["role"] == "penalty"]
    local = "（依违法行为发生地的地方性法规，见分省依据）"
    fines = [c.get("fine") or {} for c in penalty]
    first = next(
        (f.get("unit") or f.get("any") for f in fines if f.get("unit") or f.get("any")), None
    )
    return {
        "code": vt["code"],
        "name": vt["name"],
        "category": vt["category"],
        "obligation_basis": legal_catalogue.join_citations(obligation) or local,
        "penalty_basis": legal_catalogue.join_citations(penalty) or local,
        "fine_min": first[0] if first else None,
        "fine_max": first[1] if first else None,
        "fine_note": "；".join(p for p in map(legal_catalogue.fine_phrase, fines) if p),
    }


def _citation_rows(data: dict[str, Any], vt: dict[str, Any], edition: str) -> list[dict[str, Any]]:
    instruments = data["instruments"]
    groups = [(legal_catalogue.NATIONAL, vt.get("national", []))]
    groups += [(prov, vt["provinces"][prov]) for prov in legal_catalogue.PROVINCES]
    rows = []
    for province, cites in groups:
        for seq, cite in enumerate(cites):
            ins = instruments[cite["instrument"]]
            rows.append(
                {
                    "violation_code": vt["code"],
                    "province": province,
                    "seq": seq,
                    "role": cite["role"],
                    "instrument": cite["instrument"],
                    "title": ins["title"],
                    "scope": ins["scope"],
                    "article": cite.get("article", ""),
                    "item": cite.get("item", ""),
                    "edition": ins["edition"],
                    "effective": ins.get("effective", ""),
                    "fine": json.dumps(cite.get("fine") or {}, ensure_ascii=False),
                    "confirmed": int(cite["confirmed"]),
                    "read_in": cite.get("read_in", ""),
                    "note": cite.get("note", ""),
                    "catalogue_edition": edition,
                }
            )
    return rows


def read_catalogue(path: Path) -> tuple[dict[str, Any], str]:
    """The catalogue file, checked; :class:`CatalogueFormatError` says what is wrong and where."""
    try:
        data, sha = _load(path)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise legal_catalogue.CatalogueFormatError([f"无法读取 {path.name}：{exc}"]) from exc
    legal_catalogue.validate(data)
    return data, sha


def _unchanged(store: Store, name: str, path: Path) -> bool:
    """The file is the one loaded last time: checked by its hash, before parsing it (start-up)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return False  # the loader reports it
    return _is_current(store, name, hashlib.sha256(raw).hexdigest())


def load_violation_types(store: Store, path: Path) -> bool:
    """Load the catalogue if it changed; raises CatalogueFormatError (store untouched) if broken.

    An unchanged file is neither parsed nor validated again: it was validated when loaded.
    """
    if _unchanged(store, "violation_types", path):
        return False
    data, sha = read_catalogue(path)
    edition = data["edition"]
    legacy = "format" not in data
    with store.transaction() as db:
        if legacy:
            types = [{**entry, "edition": edition} for entry in data["violation_types"]]
        else:
            types = [
                {**_legacy_columns(vt, data["instruments"]), "edition": edition}
                for vt in data["violation_types"]
            ]
        db.table("violation_types").upsert_all(types, pk="code")
        db.execute("DELETE FROM legal_bases")
        db.execute("DELETE FROM legal_cooperation")
        if not legacy:
            rows = [r for vt in data["violation_types"] for r in _citation_rows(data, vt, edition)]
            db.table("legal_bases").insert_all(rows)
            zone = data.get("demonstration_zone") or {}
            for place in zone.get("places", []):
                province = legal_catalogue.province_of(place)
                ins = data["instruments"][zone["decisions"][province]]
                db.table("legal_cooperation").insert(
                    {
                        "place_code": place,
                        "province": province,
                        "title": ins["title"],
                        "edition": ins["edition"],
                        "catalogue_edition": edition,
                    }
                )
        _mark_loaded(store, "violation_types", edition, sha)
    return True


def load_all(store: Store, codes_dir: Path, deployed_dir: Path | None = None) -> list[str]:
    """Load the shipped code tables, a deployment's catalogue winning over the shipped one.

    A deployment drops its current edition at ``<deployed_dir>/violations.json``. If that file is
    broken, the shipped catalogue stays in use (the store is never left half-loaded) and the
    problems are returned, for the caller to show; the log gets them too.
    """
    load_agencies(store, codes_dir / "agencies.json")
    problems: list[str] = []
    deployed = deployed_dir / "violations.json" if deployed_dir else None
    if deployed is not None and deployed.is_file():
        try:
            load_violation_types(store, deployed)
            return problems
        except legal_catalogue.CatalogueFormatError as exc:
            log.error("deployed catalogue %s rejected: %s", deployed, exc.problems)
            problems = [
                f"部署的违法行为目录 {deployed} 有误，已改用随软件发布的目录：",
                *exc.problems,
            ]
    load_violation_types(store, codes_dir / "violations.json")
    return problems
