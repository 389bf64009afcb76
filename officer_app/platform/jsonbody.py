"""Request bodies: size limited while they arrive, nesting limited before they are parsed.

Why: a body is read into memory to be parsed, so its size is checked against the declared
``Content-Length`` before the first byte is read and against the bytes received while it streams
in (a 40 MiB body never sits whole in memory to be measured afterwards). JSON nesting is measured
on the raw bytes before ``json.loads`` sees them, so 200,000 nested ``[`` are refused as a bad
request instead of running the parser into Python's recursion limit. The parser itself is strict:
``NaN``, ``Infinity`` and numbers that overflow a float are not JSON and cannot be answered as
JSON either, so they are refused here rather than failing when the answer is written.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from typing import Any

from starlette.requests import ClientDisconnect, Request

from officer_app.platform.errors import BadRequest, PayloadTooLarge

#: Deepest nesting of arrays and objects any request needs (a push is about 6 deep).
MAX_DEPTH = 64
_KEEP_BRACKETS_AND_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')
_STEP = [0] * 256
_STEP[ord("[")] = _STEP[ord("{")] = 1
_STEP[ord("]")] = _STEP[ord("}")] = -1
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def nesting_depth(body: bytes) -> int:
    """How deeply arrays and objects nest in ``body``, counting brackets outside strings only.

    Done with C-speed byte operations (a few microseconds per pushed entry): escaped
    backslashes and quotes are dropped (JSON allows a backslash only inside a string, where it
    escapes the next character, so this keeps every string's opening and closing quote), then
    everything but brackets and quotes; what lies between quotes is string content. Where the
    body is not valid JSON the count can only be off after the point the parser stops at."""
    plain = body.replace(b"\\\\", b"").replace(b'\\"', b"") if b"\\" in body else body
    skeleton = b"".join(plain.translate(None, _KEEP_BRACKETS_AND_QUOTES).split(b'"')[0::2])
    return max(itertools.accumulate(map(_STEP.__getitem__, skeleton)), default=0)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:30]}")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse(body: bytes) -> Any:
    """Strict JSON, refused with a Chinese message when it is not (or nests too deeply)."""
    opened = body.count(b"[") + body.count(b"{")  # an upper bound of the depth, cheaply
    depth = nesting_depth(body) if opened > MAX_DEPTH else opened
    if depth > MAX_DEPTH:
        raise BadRequest("请求的嵌套层数过多。", f"nesting depth {depth} > {MAX_DEPTH}")
    try:
        text = body.decode("utf-8")  # strict: json.loads(bytes) would let surrogates through
        value = json.loads(text, parse_float=_finite, parse_constant=_constant)
    except ValueError as exc:  # includes invalid UTF-8 and integers of too many digits
        raise BadRequest("请求不是有效的JSON。", str(exc)[:200]) from exc
    if _SURROGATE_ESCAPE.search(text):  # a lone \\uD800 is valid JSON but no text: refuse it
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise BadRequest("请求中含有无效的Unicode字符。", "lone surrogate") from exc
    return value


async def read(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BadRequest("请求头 Content-Length 不正确。", f"content-length {declared[:30]!r}")
        if int(declared) > limit:
            raise PayloadTooLarge("请求过大，平台未接收。", f"{declared} > {limit} bytes")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge("请求过大，平台未接收。", f"more than {limit} bytes")
            chunks.append(chunk)
    except ClientDisconnect as exc:
        raise BadRequest("请求在传输中断开。", "client disconnected") from exc
    return b"".join(chunks)


async def read_json(request: Request, limit: int) -> Any:
    return parse(await read(request, limit))
