"""Merkle trees as in Certificate Transparency (RFC 6962, proofs checked as RFC 9162 §2.1 says).

Two uses: the platform's append-only witness log (one leaf per witnessed ledger head) and, inside
each leaf, the segment of ledger-entry hashes the head covers. Both need a root, inclusion proofs
("this leaf is in the tree of that size") and consistency proofs ("the tree of size n extends the
tree of size m"), and both must give byte-identical answers on the platform and on any checker.

No I/O here. A tree is read through a :data:`NodeFn`, ``node(level, index)``: the hash of the
*complete* subtree of ``2**level`` leaves starting at leaf ``index * 2**level``. A complete
subtree never changes once its last leaf is appended, so a log can store these nodes for good
(:func:`new_nodes` says which ones an append completes) and answer every question about any
tree size from them with O(log² n) look-ups, never rehashing the leaves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

NodeFn = Callable[[int, int], bytes]

LEAF_PREFIX, NODE_PREFIX = b"\x00", b"\x01"
#: MTH({}) = SHA-256 of the empty string (RFC 6962 §2.1).
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n ≥ 2): where RFC 6962 splits a tree."""
    return 1 << ((n - 1).bit_length() - 1)


def new_nodes(index: int, leaf: bytes, node: NodeFn) -> list[tuple[int, int, bytes]]:
    """The complete subtrees that appending ``leaf`` as leaf ``index`` finishes, bottom up:
    ``(level, index, hash)``; level 0 is the leaf itself. ``node`` reads the ones already stored."""
    out = [(0, index, leaf)]
    level, i, current = 0, index, leaf
    while i % 2 == 1:
        current = node_hash(node(level, i - 1), current)
        level, i = level + 1, i // 2
        out.append((level, i, current))
    return out


def subtree_hash(start: int, end: int, node: NodeFn) -> bytes:
    """MTH(D[start:end]) for a range RFC 6962's recursion produces (``start`` aligned to the
    largest power of two below ``end - start``, or the range is itself a complete subtree)."""
    n = end - start
    if n <= 0:
        raise ValueError(f"empty range {start}:{end}")
    if n & (n - 1) == 0 and start % n == 0:
        return node(n.bit_length() - 1, start // n)
    k = _split(n)
    return node_hash(subtree_hash(start, start + k, node), subtree_hash(start + k, end, node))


def root(size: int, node: NodeFn) -> bytes:
    return EMPTY_ROOT if size == 0 else subtree_hash(0, size, node)


def inclusion_proof(index: int, size: int, node: NodeFn) -> list[bytes]:
    """PATH(index, D[size]) of RFC 6962 §2.1.1."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} not in a tree of {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index - start < k:
            path.append(subtree_hash(start + k, end, node))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, node))
            start += k
    return path[::-1]


def consistency_proof(first: int, second: int, node: NodeFn) -> list[bytes]:
    """PROOF(first, D[second]) of RFC 6962 §2.1.2 (empty when ``first`` is 0 or ``second``)."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from {first} to {second}")
    if first in (0, second):
        return []
    path: list[bytes] = []
    start, end, m, whole = 0, second, first, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            path.append(subtree_hash(start + k, end, node))
            end = start + k
        else:
            path.append(subtree_hash(start, start + k, node))
            start, m, whole = start + k, m - k, False
    if not whole:
        path.append(subtree_hash(start, end, node))
    return path[::-1]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2, with its two trivial cases: equal sizes and an empty first tree."""
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


class MemoryTree:
    """A whole tree in memory (a ledger segment, a test): every complete node, built once."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        """``leaves`` are leaf *hashes* (:func:`leaf_hash` of the data)."""
        self.levels: list[list[bytes]] = [list(leaves)]
        while len(self.levels[-1]) > 1:
            below = self.levels[-1]
            self.levels.append(
                [node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            )

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def node(self, level: int, index: int) -> bytes:
        return self.levels[level][index]

    def root(self) -> bytes:
        return root(self.size, self.node)

    def inclusion_proof(self, index: int) -> list[bytes]:
        return inclusion_proof(index, self.size, self.node)

    def consistency_proof(self, first: int) -> list[bytes]:
        return consistency_proof(first, self.size, self.node)
