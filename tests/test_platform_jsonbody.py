"""Request bodies are measured before they are parsed: nesting depth, strict JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from officer_app.platform import jsonbody
from officer_app.platform.errors import BadRequest

#: Strings full of what could confuse a bracket count: quotes, backslashes, brackets, escapes.
TEXT = st.text(alphabet=st.sampled_from('ab"\\[]{}/\n\u00e9中\U0001f600'), max_size=12)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=30,
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(value=VALUES, ascii_only=st.booleans())
def test_nesting_depth_is_the_depth_of_the_value(value: Any, ascii_only: bool) -> None:
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    assert jsonbody.nesting_depth(body) == depth(value)
    assert jsonbody.parse(body) == value  # (all depths here are far below the limit)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 200_000 + b"]" * 200_000,
        b"[" * 200_000,  # never closed
        b'{"a":' * 100 + b"1" + b"}" * 100,
        b'["' + b"x" * 10 + b'",' + b"[" * 65 + b"]" * 65 + b"]",
    ],
    ids=["200000 deep", "unclosed", "objects 100 deep", "65 deep after a string"],
)
def test_too_deep_is_refused_before_parsing(body: bytes) -> None:
    with pytest.raises(BadRequest, match="嵌套层数"):
        jsonbody.parse(body)


def test_64_deep_is_fine_and_strings_do_not_count() -> None:
    assert jsonbody.parse(b"[" * 64 + b"]" * 64) is not None
    assert jsonbody.parse(json.dumps(["[" * 500, "{" * 500]).encode()) == ["[" * 500, "{" * 500]


@pytest.mark.parametrize(
    "body",
    [b"[NaN]", b"[Infinity]", b"[-Infinity]", b"[1e400]", b'["\\ud800"]', b'["\xed\xa0\x80"]'],
)
def test_what_cannot_be_answered_as_json_is_refused(body: bytes) -> None:
    with pytest.raises(BadRequest):
        jsonbody.parse(body)
