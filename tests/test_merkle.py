"""The Merkle module against RFC 6962's recursive definitions, for every size hypothesis finds."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from officer_app.domain import merkle


# The RFC's definitions, written as literally as possible (the module under test is iterative and
# reads stored complete subtrees instead).
def mth(leaves: list[bytes]) -> bytes:
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return merkle.leaf_hash(leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


def data(n: int) -> list[bytes]:
    return [f"leaf {i}".encode() for i in range(n)]


def stored(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """Nodes as a log stores them: appended one leaf at a time through ``new_nodes``."""
    nodes: dict[tuple[int, int], bytes] = {}
    for i, d in enumerate(leaves):
        for level, index, h in merkle.new_nodes(i, merkle.leaf_hash(d), lambda a, b: nodes[a, b]):
            nodes[level, index] = h
    return nodes


sizes = st.integers(min_value=1, max_value=140)


@settings(max_examples=120, deadline=None)
@given(sizes, st.data())
def test_root_and_inclusion_match_the_rfc(n: int, draw: st.DataObject) -> None:
    leaves = data(n)
    nodes = stored(leaves)
    node = lambda a, b: nodes[a, b]  # noqa: E731
    size = draw.draw(st.integers(min_value=1, max_value=n))
    assert merkle.root(size, node) == mth(leaves[:size])
    assert merkle.MemoryTree([merkle.leaf_hash(d) for d in leaves[:size]]).root() == mth(
        leaves[:size]
    )
    index = draw.draw(st.integers(min_value=0, max_value=size - 1))
    proof = merkle.inclusion_proof(index, size, node)
    assert proof == path(index, leaves[:size])
    leaf = merkle.leaf_hash(leaves[index])
    root = mth(leaves[:size])
    assert merkle.verify_inclusion(leaf, index, size, proof, root)
    # any other leaf, position, size or root fails
    assert not merkle.verify_inclusion(merkle.leaf_hash(b"other"), index, size, proof, root)
    if size > 1:
        assert not merkle.verify_inclusion(leaf, (index + 1) % size, size, proof, root)
        assert not merkle.verify_inclusion(leaf, index, size, proof[:-1], root)
    assert not merkle.verify_inclusion(leaf, index, size, proof, merkle.leaf_hash(b"x"))


@settings(max_examples=120, deadline=None)
@given(sizes, st.data())
def test_consistency_matches_the_rfc(n: int, draw: st.DataObject) -> None:
    leaves = data(n)
    nodes = stored(leaves)
    node = lambda a, b: nodes[a, b]  # noqa: E731
    second = draw.draw(st.integers(min_value=1, max_value=n))
    first = draw.draw(st.integers(min_value=0, max_value=second))
    proof = merkle.consistency_proof(first, second, node)
    expected = [] if first in (0, second) else subproof(first, leaves[:second], True)
    assert proof == expected
    r1, r2 = mth(leaves[:first]), mth(leaves[:second])
    assert merkle.verify_consistency(first, second, r1, r2, proof)


@settings(max_examples=120, deadline=None)
@given(st.integers(min_value=2, max_value=100), st.data())
def test_a_forked_log_fails_consistency(n: int, draw: st.DataObject) -> None:
    """A log that rewrote any leaf before ``first`` cannot prove it extends the old tree."""
    leaves = data(n)
    second = draw.draw(st.integers(min_value=2, max_value=n))
    first = draw.draw(st.integers(min_value=1, max_value=second - 1))
    changed = draw.draw(st.integers(min_value=0, max_value=first - 1))
    forked = list(leaves[:second])
    forked[changed] = b"rewritten"
    nodes = stored(forked)
    proof = merkle.consistency_proof(first, second, lambda a, b: nodes[a, b])
    assert not merkle.verify_consistency(
        first, second, mth(leaves[:first]), mth(forked[:second]), proof
    )


def test_edge_cases() -> None:
    assert merkle.root(0, lambda a, b: b"") == merkle.EMPTY_ROOT
    assert merkle.verify_consistency(0, 5, merkle.EMPTY_ROOT, b"x" * 32, [])
    assert not merkle.verify_consistency(0, 5, b"y" * 32, b"x" * 32, [])
    assert not merkle.verify_consistency(3, 3, b"a" * 32, b"b" * 32, [])
    assert not merkle.verify_consistency(3, 2, b"a" * 32, b"a" * 32, [])
    assert not merkle.verify_consistency(2, 3, b"a" * 32, b"b" * 32, [])
    assert not merkle.verify_inclusion(b"a" * 32, 3, 3, [], b"a" * 32)
    one = merkle.leaf_hash(b"only")
    assert merkle.verify_inclusion(one, 0, 1, [], one)
