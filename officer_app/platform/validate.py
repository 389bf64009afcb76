"""What the platform accepts: every pushed entry checked on its own, before anything is stored.

Why a module of its own: the request path reads "parse → validate → store", each refusal reads
the same way (a Chinese message for the officer, an English detail for the log), and the rules a
client must follow sit in one place that ``docs/sync-openapi.yaml`` describes. Nothing here
touches the database, so a refusal costs no transaction and one bad entry never takes the valid
entries of its batch down with it.

The rules that are about *who* may write (not only about shape):

* server-set fields are never taken from a payload: the sender of what lands in another agency's
  inbox is the caller; a payload that names another agency as its sender (``from_agency``) is
  refused rather than silently corrected, so a forged entry is visible as such;
* a writer must be a party to what it writes: a joint patrol lists the caller among its agencies;
  a transfer is sent by the caller to another agency;
* a transfer names its files in the entry's ``blobs`` (every SHA-256 its payload mentions), so the
  platform can insist it holds them, complete, before the receiver is told about it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, TypeGuard

from officer_app.domain import transfer as machine

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
AGENCY_RE = re.compile(r"^[0-9]{6}(-[0-9A-Za-z]{1,16})?$")
ENTRY_KEYS = ("id", "entity", "entity_id", "op", "payload", "training")
MAX_BATCH = 200
#: Longest id, entity, entity id, op, transfer id or document number (characters).
MAX_ID = 128
#: Longest free text in a transfer step (reason, note, receipt number).
MAX_TEXT = 4000
MAX_AGENCIES = 64
#: Serial blocks: years a document number may carry, and the largest serial a block may reach
#: (a 文号 is a small positive number; this keeps ``first + size`` far inside a 64-bit integer).
YEARS = (2000, 2100)
MAX_SERIAL = 10_000_000
MAX_BLOCK = 10_000
#: Cursors are 64-bit row ids in both databases.
MAX_CURSOR = 2**63 - 1


class Invalid(Exception):
    """Refused as it is; ``message_zh`` goes back to the officer, ``detail`` to the log."""

    def __init__(self, message_zh: str, detail: str) -> None:
        super().__init__(detail)
        self.message_zh = message_zh
        self.detail = detail


MALFORMED = "记录格式不正确，平台未接收。"


@dataclass(frozen=True, slots=True)
class Entry:
    """One pushed entry, checked; ``blobs`` sorted and without repeats."""

    id: str
    entity: str
    entity_id: str
    op: str
    payload: dict[str, Any]
    training: bool
    blobs: tuple[str, ...]


def district(code: str) -> str:
    """``310118-jz`` → ``310118``: a squad is not an administrative subject of its own."""
    return code.split("-", 1)[0]


def echo_id(raw: Any) -> str | None:
    """The id to name a refused entry by: only a short string is ever sent back."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and 0 < len(value) <= MAX_ID else None


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def is_name(value: Any, longest: int = MAX_ID) -> TypeGuard[str]:
    """A non-empty string of at most ``longest`` characters without control characters (ids
    and numbers are stored in columns of their own, and PostgreSQL text cannot hold NUL)."""
    return isinstance(value, str) and 0 < len(value) <= longest and not _CONTROL.search(value)


def _name(value: Any, what: str) -> str:
    if not is_name(value):
        raise Invalid(MALFORMED, f"{what} must be a string of 1..{MAX_ID} printable characters")
    return value


def _sha_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(
        isinstance(s, str) and SHA256_RE.match(s) for s in value
    ):
        raise Invalid(MALFORMED, f"{what} must be a list of sha256 hex strings")
    return value


def shape(raw: Any) -> Entry:
    """``raw`` checked for form only (what a bundle is refused for before anything is written)."""
    if not isinstance(raw, dict):
        raise Invalid(MALFORMED, "entry is not an object")
    for key in ENTRY_KEYS:
        if key not in raw:
            raise Invalid(MALFORMED, f"missing {key}")
    eid, entity = _name(raw["id"], "id"), _name(raw["entity"], "entity")
    entity_id, op = _name(raw["entity_id"], "entity_id"), _name(raw["op"], "op")
    payload, training = raw["payload"], raw["training"]
    if not isinstance(payload, dict) or not isinstance(training, bool):
        raise Invalid(MALFORMED, "payload must be an object, training a boolean")
    blobs = tuple(sorted(set(_sha_list(raw.get("blobs", []), "blobs"))))
    return Entry(eid, entity, entity_id, op, payload, training, blobs)


def entry(raw: Any, agency: str) -> Entry:
    """``raw`` as pushed by ``agency`` (a district code), checked; else :class:`Invalid`."""
    checked = shape(raw)
    sender = checked.payload.get("from_agency")
    if sender is not None and (not isinstance(sender, str) or district(sender) != agency):
        raise Invalid(
            "记录中的发送机关与登录身份不符，平台未接收。", f"from_agency {str(sender)[:20]!r}"
        )
    if checked.entity == "patrol":
        _patrol(checked, agency)
    elif checked.entity == "transfer":
        if checked.op == "send":
            _transfer_send(checked, agency)
        else:
            _transfer_step(checked)
    return checked


def agencies(value: Any) -> list[str]:
    """A list of agency codes (district or squad), as a joint patrol names its participants."""
    if (
        not isinstance(value, list)
        or len(value) > MAX_AGENCIES
        or not all(isinstance(c, str) and AGENCY_RE.match(c) for c in value)
    ):
        raise Invalid(
            "联合巡查的参加单位格式不正确，平台未接收。",
            f"agencies must be a list of <= {MAX_AGENCIES} agency codes",
        )
    return value


def _patrol(e: Entry, agency: str) -> None:
    if e.op != "create" and "agencies" not in e.payload:
        return  # a start/close carries no participants: it goes to nobody's inbox
    codes = agencies(e.payload.get("agencies"))
    if agency not in {district(c) for c in codes}:
        raise Invalid(
            "联合巡查的参加单位中没有本机关，平台未接收。", f"{agency} not among {codes[:5]}"
        )


def transfer_files(payload: dict[str, Any]) -> set[str]:
    """Every SHA-256 a transfer payload names (its ``blobs``, the letter, each evidence file)."""
    return machine.named_files(payload)


def _transfer_send(e: Entry, agency: str) -> None:
    p = e.payload
    incomplete = "移送记录不完整，平台未接收。"
    tid, kind, to, number = p.get("id"), p.get("kind"), p.get("to_agency"), p.get("document_number")
    if not is_name(tid):
        raise Invalid(incomplete, "transfer id must be a string of 1..128 printable characters")
    if kind not in machine.KINDS:
        raise Invalid(incomplete, f"kind {str(kind)[:20]!r}")
    if not isinstance(to, str) or not AGENCY_RE.match(to):
        raise Invalid(incomplete, "to_agency must be an agency code")
    if not is_name(number) or not number.strip():
        raise Invalid(incomplete, "document_number must be a non-empty printable string")
    for key in ("deadline", "sent_at", "pdf_sha256"):
        if p.get(key) is not None and not is_name(p[key]):
            raise Invalid(incomplete, f"{key} must be a printable string")
    for key, kind_of in (("case", dict), ("fields", dict), ("parties", list), ("evidence", list)):
        if p.get(key) is not None and not isinstance(p[key], kind_of):
            raise Invalid(incomplete, f"{key} must be a {kind_of.__name__}")
    if not all(isinstance(x, dict) for x in p.get("parties") or []):
        raise Invalid(incomplete, "parties must be objects")
    if district(to) == agency:
        raise Invalid("不能向本机关移送案件。", "transfer to self")
    try:
        named = transfer_files(p)
    except ValueError as exc:
        raise Invalid(incomplete, str(exc)) from exc
    unlisted = named - set(e.blobs)
    if unlisted:
        raise Invalid(
            "移送记录所附的文件未列入文件清单，平台未接收。",
            f"{len(unlisted)} file(s) named in the payload but not in blobs",
        )


def _transfer_step(e: Entry) -> None:
    p = e.payload
    if e.op not in machine.STEPS:
        raise Invalid(f"未知的移送操作：{e.op[:20]}", f"unknown op {e.op[:20]!r}")
    bad = "移送办理记录格式不正确，平台未接收。"
    if not is_name(p.get("transfer_id")):
        raise Invalid(bad, "transfer_id must be a string of 1..128 printable characters")
    for key in ("receipt_number", "reason", "note", "at", "result"):
        if p.get(key) is not None and (not isinstance(p[key], str) or len(p[key]) > MAX_TEXT):
            raise Invalid(bad, f"{key} must be a string of <= {MAX_TEXT} characters")
    fine = p.get("fine")
    if fine is not None and (
        isinstance(fine, bool)
        or not isinstance(fine, int | float)
        or not math.isfinite(fine)
        or not 0 <= fine <= 1e12
    ):
        raise Invalid(bad, "fine must be a non-negative number")
    if e.op == "feedback" and p.get("result") not in machine.FEEDBACK_RESULTS:
        raise Invalid("处理结果不在规定范围内。", f"result {str(p.get('result'))[:20]!r}")
    blobs = p.get("blobs", [])  # the step's letter: fetched by the sender, so held first
    if not isinstance(blobs, list) or not all(
        isinstance(s, str) and SHA256_RE.match(s) for s in blobs
    ):
        raise Invalid(bad, "blobs must be a list of sha256 hex strings")
    if set(blobs) - set(e.blobs):
        raise Invalid(
            "办理文书所附的文件未列入文件清单，平台未接收。",
            "payload blobs not in the entry's blobs",
        )
    if p.get("document") is not None and not isinstance(p["document"], dict):
        raise Invalid(bad, "document must be an object")


# Other requests -----------------------------------------------------------------------------------
def _whole(value: Any, low: int, high: int) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True, slots=True)
class BlockRequest:
    request_id: str
    doc_type: str
    year: int
    size: int
    min_first: int


def block_request(body: Any) -> BlockRequest:
    """``POST /v1/serial-blocks``: every number within what a 文号 can be."""
    if not isinstance(body, dict):
        raise Invalid("文号段申请格式不正确。", "object expected")
    request_id, doc_type = body.get("request_id"), body.get("doc_type")
    year, size, min_first = body.get("year"), body.get("size", 100), body.get("min_first", 1)
    if not is_name(request_id):
        raise Invalid("文号段申请不完整。", "request_id must be 1..128 printable characters")
    if not is_name(doc_type, 16):
        raise Invalid("文号段申请不完整。", "doc_type must be 1..16 printable characters")
    if not _whole(year, *YEARS):
        raise Invalid(f"文号年份应在{YEARS[0]}到{YEARS[1]}之间。", "year out of range")
    if not _whole(size, 1, MAX_BLOCK):
        raise Invalid(f"文号段大小应在1到{MAX_BLOCK}之间。", "size out of range")
    if not _whole(min_first, 1, MAX_SERIAL):
        raise Invalid(f"起始文号应在1到{MAX_SERIAL}之间。", "min_first out of range")
    return BlockRequest(request_id, doc_type, year, size, min_first)


_DIGITS = re.compile(r"^[0-9]{1,19}$")


def query_int(raw: str | None, default: int, low: int, high: int, name: str) -> int:
    """A query parameter that must be a plain decimal integer in ``[low, high]``."""
    if raw is None:
        return default
    if not _DIGITS.match(raw) or not low <= int(raw) <= high:
        raise Invalid(f"{name} 必须是 {low} 到 {high} 之间的整数。", f"{name} {raw[:30]!r}")
    return int(raw)


def sha_request(body: Any, limit: int) -> list[str]:
    """``POST /v1/blobs/check``: a list of at most ``limit`` SHA-256 hex strings."""
    shas = body.get("sha256") if isinstance(body, dict) else None
    if not isinstance(shas, list) or len(shas) > limit:
        raise Invalid("请求缺少 sha256 列表。", f"sha256 must be a list of <= {limit}")
    for sha in shas:
        if not isinstance(sha, str) or not SHA256_RE.match(sha):
            raise Invalid("文件标识不是有效的SHA-256。", f"sha {str(sha)[:70]!r}")
    return shas
