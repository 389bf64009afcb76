"""What the platform's witness signs, and how anyone checks it: leaves, tree heads, receipts.

The platform keeps an append-only Merkle log (:mod:`officer_app.domain.merkle`) of *witnessed
ledger heads*. A leaf says: "on ``witnessed_at``, laptop ``client_id`` of agency ``agency`` showed
me its ledger at entry ``seq`` with hash ``hash``, and the hashes of its entries ``from_seq`` to
``seq`` have Merkle root ``entries_root``". The segment root lets a single entry (an evidence
intake a transfer refers to, the first entry where a rewritten chain departs) be proven witnessed
with a short proof, without the platform ever seeing an entry's content.

A signed tree head (STH) is the log's size, root and time, signed with the platform's Ed25519 key;
a receipt is one leaf, an STH and the leaf's inclusion proof in it. Every check here needs only the
platform's public key (pinned by the laptop at login, printed as a fingerprint in the bulletin,
carried in evidence packages), never a secret: the defence does not rest on anything an attacker
who holds the laptop could read. No I/O; ``cryptography`` is imported only when a signature is
made or checked.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Sequence
from typing import Any

from officer_app.domain import merkle

VERSION = 1
ALGORITHM = "Ed25519"
#: Domain separation: an STH signature can never be mistaken for a signature over anything else.
STH_CONTEXT = b"officer-app-witness-sth/1\n"
LEAF_KEYS = (
    "v",
    "agency",
    "client_id",
    "seq",
    "hash",
    "from_seq",
    "entries_root",
    "source",
    "witnessed_at",
)
STH_KEYS = ("v", "log_id", "tree_size", "root_hash", "timestamp")


class WitnessFormatError(ValueError):
    """A receipt, head or key that is not even well formed."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def _hex32(value: Any, what: str) -> bytes:
    try:
        raw = bytes.fromhex(str(value))
    except ValueError as exc:
        raise WitnessFormatError(f"{what} is not hex") from exc
    if len(raw) != 32:
        raise WitnessFormatError(f"{what} is not 32 bytes")
    return raw


# Keys ---------------------------------------------------------------------------------------------
def fingerprint(public_key_b64: str) -> str:
    """SHA-256 of the raw 32-byte public key, hex: the log's id, printed for people to compare."""
    return hashlib.sha256(decode_key(public_key_b64)).hexdigest()


def decode_key(public_key_b64: str) -> bytes:
    try:
        raw = base64.b64decode(public_key_b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise WitnessFormatError("public key is not base64") from exc
    if len(raw) != 32:
        raise WitnessFormatError("an Ed25519 public key has 32 bytes")
    return raw


def short_fingerprint(fp: str) -> str:
    """Groups of four, the first 32 hex digits: what a person reads aloud or compares on paper."""
    return " ".join(fp[i : i + 4] for i in range(0, 32, 4)).upper()


def verify_signature(public_key_b64: str, signature_b64: str, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(decode_key(public_key_b64))
        key.verify(base64.b64decode(signature_b64, validate=True), message)
    except (InvalidSignature, WitnessFormatError, binascii.Error, ValueError):
        return False
    return True


# Segments -----------------------------------------------------------------------------------------
def segment_tree(hashes: Sequence[str]) -> merkle.MemoryTree:
    """The Merkle tree over ledger-entry hashes ``from_seq..seq`` (leaf data: the 32 raw bytes)."""
    return merkle.MemoryTree([merkle.leaf_hash(_hex32(h, "entry hash")) for h in hashes])


def segment_root(hashes: Sequence[str]) -> str:
    return segment_tree(hashes).root().hex()


def verify_segment_entry(
    leaf: dict[str, Any], seq: int, entry_hash: str, proof: Sequence[str]
) -> bool:
    """Was entry ``seq`` with ``entry_hash`` among the entries ``leaf`` witnessed?"""
    try:
        first, last = int(leaf["from_seq"]), int(leaf["seq"])
        if not first <= seq <= last:
            return False
        return merkle.verify_inclusion(
            merkle.leaf_hash(_hex32(entry_hash, "entry hash")),
            seq - first,
            last - first + 1,
            [_hex32(p, "proof") for p in proof],
            _hex32(leaf["entries_root"], "entries root"),
        )
    except (KeyError, TypeError, ValueError):
        return False


# Leaves and heads ---------------------------------------------------------------------------------
def make_leaf(
    *,
    agency: str,
    client_id: str,
    seq: int,
    head_hash: str,
    from_seq: int,
    hashes: Sequence[str],
    source: str,
    witnessed_at: str,
) -> dict[str, Any]:
    """Checks what a laptop sent is self-consistent (the platform cannot check more: it never sees
    an entry's content) and builds the leaf."""
    if not (isinstance(seq, int) and isinstance(from_seq, int) and 1 <= from_seq <= seq):
        raise WitnessFormatError(f"bad range {from_seq}..{seq}")
    if len(hashes) != seq - from_seq + 1:
        raise WitnessFormatError(f"{len(hashes)} hashes for entries {from_seq}..{seq}")
    if hashes[-1] != head_hash:
        raise WitnessFormatError("the last entry hash is not the head")
    return {
        "v": VERSION,
        "agency": agency,
        "client_id": client_id,
        "seq": seq,
        "hash": head_hash,
        "from_seq": from_seq,
        "entries_root": segment_root(hashes),
        "source": source,
        "witnessed_at": witnessed_at,
    }


def leaf_hash(leaf: dict[str, Any]) -> bytes:
    return merkle.leaf_hash(canonical({k: leaf.get(k) for k in LEAF_KEYS}))


def sth_message(sth: dict[str, Any]) -> bytes:
    return STH_CONTEXT + canonical({k: sth.get(k) for k in STH_KEYS})


def verify_sth(sth: dict[str, Any], public_key_b64: str) -> str | None:
    """``None`` if ``sth`` is signed by this key; else why not (English, for the log)."""
    try:
        if sth.get("log_id") != fingerprint(public_key_b64):
            return "signed tree head names another log"
        _hex32(sth.get("root_hash"), "root hash")
        if not isinstance(sth.get("tree_size"), int) or sth["tree_size"] < 0:
            return "bad tree size"
    except WitnessFormatError as exc:
        return str(exc)
    if not verify_signature(public_key_b64, str(sth.get("signature", "")), sth_message(sth)):
        return "signature does not verify with the pinned key"
    return None


def verify_receipt(receipt: dict[str, Any], public_key_b64: str) -> str | None:
    """``None`` if the receipt's head is signed by this key and its leaf is in that tree."""
    try:
        sth, leaf = receipt["sth"], receipt["leaf"]
        index = receipt["leaf_index"]
        proof = [_hex32(p, "proof") for p in receipt["inclusion"]]
    except (KeyError, TypeError, WitnessFormatError) as exc:
        return f"malformed receipt: {exc}"
    if not isinstance(sth, dict) or not isinstance(leaf, dict) or not isinstance(index, int):
        return "malformed receipt"
    problem = verify_sth(sth, public_key_b64)
    if problem:
        return problem
    if not merkle.verify_inclusion(
        leaf_hash(leaf), index, sth["tree_size"], proof, bytes.fromhex(sth["root_hash"])
    ):
        return "the leaf is not in the signed tree (inclusion proof fails)"
    return None


def verify_consistency(old: dict[str, Any], new: dict[str, Any], proof: Sequence[str]) -> bool:
    """Does signed head ``new`` extend ``old`` (same log, nothing before it rewritten)?"""
    try:
        return merkle.verify_consistency(
            int(old["tree_size"]),
            int(new["tree_size"]),
            _hex32(old["root_hash"], "root"),
            _hex32(new["root_hash"], "root"),
            [_hex32(p, "proof") for p in proof],
        )
    except (KeyError, TypeError, ValueError):
        return False


def check_entry_receipt(
    item: Any,
    *,
    seq: int,
    entry_hash: str,
    agency: str,
    client_id: str,
    keys: dict[str, str],
) -> str | None:
    """``None`` if ``item`` (a receipt plus ``segment_proof``) proves that laptop ``client_id`` of
    ``agency`` showed the witness its entry ``seq`` with ``entry_hash``, under one of ``keys``
    (log id → public key); else why not. This is how a receiving agency knows the sender's
    intake entry existed, as it is, before the transfer."""
    if not isinstance(item, dict):
        return "no receipt"
    sth = item.get("sth")
    key = keys.get(str(sth.get("log_id"))) if isinstance(sth, dict) else None
    if key is None:
        return "signed by a key that is not pinned"
    problem = verify_receipt(item, key)
    if problem:
        return problem
    leaf = item["leaf"]
    if leaf.get("agency") != agency.split("-", 1)[0]:
        return "witnessed for another agency"
    if leaf.get("client_id") != client_id:
        return "witnessed for another laptop"
    if not verify_segment_entry(leaf, seq, entry_hash, item.get("segment_proof") or []):
        return "the entry is not in the witnessed segment"
    return None
