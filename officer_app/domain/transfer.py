"""The transfer state machine, shared by the laptop and the platform so both refuse the same steps.

A 案件移送 (kind ``case``) goes ``sent`` → ``accepted`` | ``returned``; an accepted case later gets
its result feedback (``feedback_sent``). A 联合查处 (kind ``joint``: one agency asks another to
investigate a case with it) goes ``sent`` → ``accepted`` (同意) | ``returned`` (declined, 不同意)
→ ``feedback_sent``. Only the receiving agency may answer; the sending agency only sends. Every
step is a numbered letter. Both ends check every step, so a tampered or stale client cannot push a
transfer into a state the law does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

KINDS = ("case", "joint")
KIND_ZH = {"case": "案件移送", "joint": "联合查处"}
STATUSES = ("sent", "accepted", "returned", "feedback_sent")
STATUS_ZH = {
    "sent": "已移送",
    "accepted": "已接收",
    "returned": "已退回",
    "feedback_sent": "已反馈",
}
JOINT_STATUS_ZH = {
    "sent": "已商请",
    "accepted": "已同意",
    "returned": "已拒绝",
    "feedback_sent": "已反馈",
}
#: op → (allowed from-statuses, resulting status)
STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("sent",), "accepted"),
    "return": (("sent",), "returned"),
    "decline": (("sent",), "returned"),
    "feedback": (("accepted",), "feedback_sent"),
}
#: the answers each kind knows (a joint request is declined, not returned)
KIND_OPS = {"case": ("accept", "return", "feedback"), "joint": ("accept", "decline", "feedback")}
FEEDBACK_RESULTS = ("处罚决定", "不予处罚", "移送司法", "其他")
RECEIPT_WORKING_DAYS = 7  # 行政处罚法 §85 七日 = working days; per-agreement setting later


@dataclass(frozen=True)
class IllegalStep:
    """Why a step is refused, in plain Chinese for the officer and English for the log."""

    message_zh: str
    detail: str


def status_zh(kind: str, status: str) -> str:
    return (JOINT_STATUS_ZH if kind == "joint" else STATUS_ZH).get(status, status)


def check_step(
    op: str, status: str, *, actor: str, receiver: str, kind: str = "case"
) -> IllegalStep | None:
    """``None`` when ``actor`` may apply ``op`` to a transfer in ``status``; else the reason."""
    if op not in STEPS or op not in KIND_OPS.get(kind, ()):
        return IllegalStep(f"未知的移送操作：{op}", f"unknown op {op!r} for {kind!r}")
    if actor != receiver:
        return IllegalStep("只有受移送机关可以办理该操作。", f"{actor} is not receiver {receiver}")
    allowed, _ = STEPS[op]
    if status not in allowed:
        return IllegalStep(
            f"当前状态为“{status_zh(kind, status)}”，不能{OP_ZH[op]}。",
            f"{op} not allowed from {status}",
        )
    return None


OP_ZH = {"accept": "接收", "return": "退回", "decline": "拒绝", "feedback": "反馈处理结果"}


def next_status(op: str) -> str:
    return STEPS[op][1]


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def named_files(payload: dict[str, Any]) -> set[str]:
    """Every file (SHA-256) a case-transfer payload names: its ``blobs``, the letter's PDF and each
    piece of evidence. The platform holds them all before it accepts a transfer and the receiver
    fetches them all before it takes one in, so an accepted case never misses a file.

    Raises ``ValueError`` for a payload that names a file in any other shape."""
    blobs, evidence = payload.get("blobs", []), payload.get("evidence") or []
    if not isinstance(blobs, list) or not isinstance(evidence, list):
        raise ValueError("blobs and evidence must be lists")
    names = list(blobs)
    if payload.get("pdf_sha256") is not None:
        names.append(payload["pdf_sha256"])
    for item in evidence:
        if not isinstance(item, dict):
            raise ValueError("evidence items must be objects")
        names.append(item.get("sha256"))
    for name in names:
        if not isinstance(name, str) or not _SHA256.match(name):
            raise ValueError("a named file is not a sha256 hex string")
    return set(names)
