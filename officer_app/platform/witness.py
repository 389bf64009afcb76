"""The platform's witness log: laptops' ledger heads in an append-only Merkle tree, on SQLite or PostgreSQL.

Every sync (and every imported USB bundle) appends one leaf naming the laptop's ledger head and the
root of the entry hashes since its previous witnessed head (:mod:`officer_app.domain.witness`).
Rows, all written inside :func:`~officer_app.platform.db.transaction` holding :data:`LOG_LOCK`
(SQLite's one writer lock; on PostgreSQL an advisory lock of its own, since other changes lock
only what they touch), so leaf indexes and tree sizes never race:

* ``witness_leaves``: the leaves in order, with the segment of entry hashes they cover (so a single
  entry can later be proven witnessed, and a rewritten chain pinpointed); a laptop's history is
  its leaves under (agency, client id), as every other client-chosen id on the platform;
* ``witness_nodes``: every *complete* subtree hash, written once when its last leaf arrives
  (:func:`officer_app.domain.merkle.new_nodes`); roots and proofs for any size are read from
  these, never by rehashing all leaves;
* ``witness_heads``: every signed tree head the platform gave out.

Nothing here updates or deletes a row. Hashes are stored as hex text, the same in both dialects.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from officer_app.domain import merkle
from officer_app.domain import witness as fmt
from officer_app.platform.db import Connection, transaction
from officer_app.platform.signing import WitnessKey

#: The one log has one tail: every append and every signed head holds this lock.
LOG_LOCK = "witness-log"

CLIENT_ID_RE = re.compile(r"^[0-9A-Za-z-]{8,64}$")
HEX64_RE = re.compile(r"^[0-9a-f]{64}$")
SOURCES = ("sync", "bundle")
#: A first witness carries the hashes of the whole ledger; beyond this a laptop splits nothing,
#: the request is simply refused as implausible (a decade of a squad's work is ~10⁵ entries).
MAX_SEGMENT = 2_000_000


class WitnessRefused(Exception):
    """What a laptop sent cannot be witnessed as it is (answered 400 with the reason)."""

    def __init__(self, message_zh: str, detail: str) -> None:
        super().__init__(detail)
        self.message_zh = message_zh


class LogCorrupt(RuntimeError):
    """A node the log must hold is missing: the platform's own store is damaged."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def node_reader(conn: Connection) -> merkle.NodeFn:
    """Stored complete subtrees, cached for one request (they never change once written)."""
    cache: dict[tuple[int, int], bytes] = {}

    def node(level: int, index: int) -> bytes:
        key = (level, index)
        if key not in cache:
            row = conn.execute(
                "SELECT hash FROM witness_nodes WHERE level = ? AND idx = ?", [level, index]
            ).fetchone()
            if row is None:
                raise LogCorrupt(f"witness node {level}/{index} missing")
            cache[key] = bytes.fromhex(row[0])
        return cache[key]

    return node


def tree_size(conn: Connection) -> int:
    top = conn.execute("SELECT max(idx) FROM witness_leaves").fetchone()[0]
    return 0 if top is None else int(top) + 1


def _store_head(conn: Connection, sth: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO witness_heads (tree_size, timestamp, root_hash, signature) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [sth["tree_size"], sth["timestamp"], sth["root_hash"], sth["signature"]],
    )


def latest_head(conn: Connection, key: WitnessKey) -> dict[str, Any]:
    """The newest signed head (one is signed and kept if the log has none for its size yet)."""
    size = tree_size(conn)
    row = conn.execute(
        "SELECT tree_size, timestamp, root_hash, signature FROM witness_heads"
        " WHERE tree_size = ? ORDER BY timestamp DESC LIMIT 1",
        [size],
    ).fetchone()
    if row is not None:
        return _head_row(key, row)
    return sign_head(conn, key)


def sign_head(conn: Connection, key: WitnessKey, timestamp: str | None = None) -> dict[str, Any]:
    """Sign the current tree now and keep the head (the bulletin's paper anchor uses this)."""
    with transaction(conn):
        conn.lock([LOG_LOCK])
        size = tree_size(conn)
        sth = key.sign_head(size, merkle.root(size, node_reader(conn)).hex(), timestamp or _now())
        _store_head(conn, sth)
    return sth


def _head_row(key: WitnessKey, row: Any) -> dict[str, Any]:
    return {
        "v": fmt.VERSION,
        "log_id": key.fingerprint,
        "tree_size": int(row[0]),
        "root_hash": row[2],
        "timestamp": row[1],
        "signature": row[3],
    }


def _receipt(conn: Connection, row: Any, sth: dict[str, Any]) -> dict[str, Any]:
    index = int(row["idx"])
    proof = merkle.inclusion_proof(index, sth["tree_size"], node_reader(conn))
    return {
        "leaf": json.loads(row["leaf"]),
        "leaf_index": index,
        "sth": sth,
        "inclusion": [p.hex() for p in proof],
    }


def _segment(row: Any) -> list[str]:
    text = row["segment"]
    return [text[i : i + 64] for i in range(0, len(text), 64)]


def _consistency(conn: Connection, first: int | None, second: int) -> list[str] | None:
    """Proof from a size the laptop saw before; ``None`` if the log is now smaller (it was cut)."""
    if first is None:
        return []
    if first > second:
        return None
    return [p.hex() for p in merkle.consistency_proof(first, second, node_reader(conn))]


def _check_request(body: Any) -> dict[str, Any]:
    bad = WitnessRefused("见证请求格式不正确，平台未记录。", "bad witness request")
    if not isinstance(body, dict):
        raise bad
    client_id, hashes = body.get("client_id"), body.get("hashes")
    if not isinstance(client_id, str) or not CLIENT_ID_RE.match(client_id):
        raise WitnessRefused("见证请求缺少本机编号。", "client_id")
    if not isinstance(hashes, list) or not 0 < len(hashes) <= MAX_SEGMENT:
        raise WitnessRefused("见证请求的日志哈希列表不正确。", "hashes")
    if not all(isinstance(h, str) and HEX64_RE.match(h) for h in hashes):
        raise WitnessRefused("见证请求中有格式不正确的日志哈希。", "hash format")
    for name in ("seq", "from_seq"):
        if not isinstance(body.get(name), int) or isinstance(body.get(name), bool):
            raise WitnessRefused("见证请求的日志序号不正确。", name)
    for name in ("known_index", "known_size"):
        value = body.get(name)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise WitnessRefused("见证请求的已知日志位置不正确。", name)
    return body


def prepare(body: Any, *, agency: str, source: str) -> dict[str, Any]:
    """The leaf for what a laptop sent, or :class:`WitnessRefused` (checked before anything is
    written, so an import can refuse a bundle before applying any of it)."""
    body = _check_request(body)
    if source not in SOURCES:
        raise ValueError(source)
    try:
        return fmt.make_leaf(
            agency=agency,
            client_id=body["client_id"],
            seq=body["seq"],
            head_hash=str(body.get("hash", "")),
            from_seq=body["from_seq"],
            hashes=body["hashes"],
            source=source,
            witnessed_at=_now(),
        )
    except fmt.WitnessFormatError as exc:
        raise WitnessRefused("见证请求中的日志范围与哈希列表不符。", str(exc)) from exc


def append(
    conn: Connection,
    key: WitnessKey,
    *,
    agency: str,
    token_id: str,
    body: Any,
    source: str,
) -> dict[str, Any]:
    """Witness one ledger head; answer the receipts this laptop lacks and a consistency proof.

    ``body``: ``client_id``, ``seq``, ``hash``, ``from_seq``, ``hashes`` (entry hashes
    ``from_seq..seq``), optional ``known_index`` (the newest leaf the laptop holds a receipt for)
    and ``known_size`` (the largest tree it has seen). A head equal to this laptop's last witnessed
    one is not appended again: the answer is that leaf with a fresh proof."""
    leaf = prepare(body, agency=agency, source=source)
    with transaction(conn):
        conn.lock([LOG_LOCK])
        # A laptop's history is its agency's: the same id claimed by another agency starts
        # that agency's own history (neither refused, which would say the id is used elsewhere,
        # nor written into the first agency's).
        last = conn.execute(
            "SELECT idx, ledger_seq, leaf FROM witness_leaves WHERE client_id = ? AND agency = ?"
            " ORDER BY idx DESC LIMIT 1",
            [leaf["client_id"], agency],
        ).fetchone()
        same = last is not None and (
            json.loads(last["leaf"])["hash"] == leaf["hash"]
            and int(last["ledger_seq"]) == leaf["seq"]
        )
        size = tree_size(conn)
        if not same:
            canonical = fmt.canonical({k: leaf[k] for k in fmt.LEAF_KEYS}).decode("utf-8")
            lh = fmt.leaf_hash(leaf)
            conn.execute(
                "INSERT INTO witness_leaves (idx, agency, client_id, token_id, ledger_seq,"
                " from_seq, leaf, leaf_hash, segment, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    size,
                    agency,
                    leaf["client_id"],
                    token_id,
                    leaf["seq"],
                    leaf["from_seq"],
                    canonical,
                    lh.hex(),
                    "".join(body["hashes"]),
                    leaf["witnessed_at"],
                ],
            )
            for level, index, digest in merkle.new_nodes(size, lh, node_reader(conn)):
                conn.execute(
                    "INSERT INTO witness_nodes (level, idx, hash) VALUES (?, ?, ?)",
                    [level, index, digest.hex()],
                )
            size += 1
            sth = key.sign_head(size, merkle.root(size, node_reader(conn)).hex(), _now())
            _store_head(conn, sth)
    if same:
        sth = latest_head(conn, key)
    return _answer(conn, sth, leaf["client_id"], agency, body.get("known_index"), body)


def _answer(
    conn: Connection,
    sth: dict[str, Any],
    client_id: str,
    agency: str,
    known_index: int | None,
    body: dict[str, Any],
) -> dict[str, Any]:
    rows = conn.execute(
        "SELECT idx, leaf FROM witness_leaves WHERE client_id = ? AND agency = ? AND idx > ?"
        " AND idx < ? ORDER BY idx",
        [client_id, agency, -1 if known_index is None else known_index, sth["tree_size"]],
    ).fetchall()
    if not rows:  # the head was seen before: the laptop gets that leaf again, freshly proven
        rows = conn.execute(
            "SELECT idx, leaf FROM witness_leaves WHERE client_id = ? AND agency = ?"
            " AND idx < ? ORDER BY idx DESC LIMIT 1",
            [client_id, agency, sth["tree_size"]],
        ).fetchall()
    return {
        "sth": sth,
        "receipts": [_receipt(conn, r, sth) for r in rows],
        "consistency": _consistency(conn, body.get("known_size"), sth["tree_size"]),
    }


def heads(
    conn: Connection, key: WitnessKey, *, agency: str, client_id: str, since_size: int | None
) -> dict[str, Any]:
    """Everything witnessed for one laptop, for ``verify --against-platform``: every leaf with
    its segment of entry hashes and its inclusion proof in the newest head, and a consistency
    proof from the largest tree the laptop saw before."""
    sth = latest_head(conn, key)
    rows = conn.execute(
        "SELECT idx, leaf, segment FROM witness_leaves WHERE client_id = ? AND agency = ?"
        " AND idx < ? ORDER BY idx",
        [client_id, agency, sth["tree_size"]],
    ).fetchall()
    return {
        "sth": sth,
        "public_key": key.public(),
        "leaves": [{**_receipt(conn, r, sth), "segment": _segment(r)} for r in rows],
        "consistency": _consistency(conn, since_size, sth["tree_size"]),
    }


def entry_proof(
    conn: Connection, key: WitnessKey, *, agency: str, client_id: str, seq: int, entry_hash: str
) -> dict[str, Any] | None:
    """A receipt proving that laptop ``client_id`` of ``agency`` showed entry ``seq`` with
    ``entry_hash`` to the witness: the leaf, its inclusion in the newest head and the entry's
    proof in the leaf's segment; ``None`` if it was never witnessed so."""
    rows = conn.execute(
        "SELECT idx, leaf, segment, from_seq FROM witness_leaves WHERE client_id = ?"
        " AND agency = ? AND from_seq <= ? AND ledger_seq >= ? ORDER BY idx",
        [client_id, agency, seq, seq],
    ).fetchall()
    for row in rows:
        segment = _segment(row)
        offset = seq - int(row["from_seq"])
        if segment[offset] == entry_hash:
            sth = latest_head(conn, key)
            proof = fmt.segment_tree(segment).inclusion_proof(offset)
            return {**_receipt(conn, row, sth), "segment_proof": [p.hex() for p in proof]}
    return None


def transfer_custody(conn: Connection, key: WitnessKey, transfer: dict[str, Any]) -> dict[str, Any]:
    """For each evidence file of a transfer, the proof that the sender's intake entry was witnessed.

    The sender's laptop named, in the transfer it pushed, its own ``client_id`` and the seq and
    hash of each file's intake entry (``payload["custody"]``); the lookup is confined to leaves of
    the sending agency, so one agency cannot borrow another's witness."""
    payload = transfer["payload"]
    custody = payload.get("custody") if isinstance(payload, dict) else None
    out: dict[str, Any] = {}
    if not isinstance(custody, dict):
        return {"items": out}
    client_id = str(custody.get("client_id", ""))
    agency = str(transfer["from_agency"]).split("-", 1)[0]
    entries = custody.get("entries") or {}
    for sha, entry in sorted(entries.items()) if isinstance(entries, dict) else []:
        try:
            seq, digest = int(entry["seq"]), str(entry["hash"])
        except (KeyError, TypeError, ValueError):
            continue
        proof = entry_proof(
            conn, key, agency=agency, client_id=client_id, seq=seq, entry_hash=digest
        )
        if proof is not None:
            out[sha] = proof
    return {"items": out}
