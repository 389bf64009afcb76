"""The paper anchor: the platform bulletin prints the witness log's signed tree head at issue.

A printed, numbered, distributed bulletin fixes in public what the log held on that day (its size
and root, signed): a platform that later rewrote or forked its log could not prove consistency
with the printed head, and the printed key fingerprint lets a court recognise the key an evidence
package carries. The head is signed afresh when the bulletin is made and kept with the others.
Everything printed is plain text, so it can be checked by hand: the signature is over
``officer-app-witness-sth/1`` + newline + the compact, key-sorted JSON of the printed fields
(:func:`officer_app.domain.witness.sth_message`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from officer_app.documents.bulletin import BulletinTable
from officer_app.domain import witness as fmt

_NUMERALS = "一二三四五六七八九十"


def signed_head(paths: Any, conn: Any) -> tuple[dict[str, Any], dict[str, str]] | None:
    """A freshly signed head of the platform's log and its public key; ``None`` for a platform
    that never served (it has no key and no log yet)."""
    from officer_app.platform import signing, witness

    key = signing.load(paths)
    if key is None:
        return None
    signing.bind(conn, key)
    return witness.sign_head(conn, key), key.public()


@dataclass(frozen=True)
class Anchor:
    """What the bulletin prints about the witness; ``head`` is ``None`` for a platform that never
    served (the section then says so)."""

    head: tuple[dict[str, Any], dict[str, str]] | None

    def blocks(self, before: list[tuple[str, object]]) -> list[tuple[str, object]]:
        return anchor_blocks(self.head, before)

    def json(self) -> dict[str, Any] | None:
        return None if self.head is None else {"sth": self.head[0], "public_key": self.head[1]}


def _cst(timestamp: str) -> str:
    when = dt.datetime.fromisoformat(timestamp).astimezone(dt.timezone(dt.timedelta(hours=8)))
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M:%S}（北京时间）"


def anchor_blocks(
    head: tuple[dict[str, Any], dict[str, str]] | None, blocks: list[tuple[str, object]]
) -> list[tuple[str, object]]:
    """The closing section of the bulletin (numbered after the headings already in ``blocks``)."""
    n = sum(1 for kind, _ in blocks if kind == "heading")
    tables = sum(1 for kind, _ in blocks if kind == "table")
    out: list[tuple[str, object]] = [("heading", f"{_NUMERALS[n]}、平台见证日志")]
    if head is None:
        out.append(("paragraph", "平台尚未启动见证服务，本期无见证日志签名树头。"))
        return out
    sth, key = head
    out.append(
        (
            "paragraph",
            "各执法队笔记本电脑每次同步时向平台提交执法日志的链头，平台将其记入只增不改的见证日志"
            "并以平台密钥签名。本通报签发时见证日志的签名树头如下表，印发即为公开存证：此后任何人"
            "均可凭证据包的核验结果、或在执法笔记本电脑上与平台核对，确认平台日志与证据在此时点"
            "之前未被改写；证据包和核验结果所示的平台公钥指纹应与本表一致。"
            "签名内容为“officer-app-witness-sth/1”加换行，再接紧凑JSON（键按字母排序）："
            '{"log_id":指纹,"root_hash":根哈希,"timestamp":签名时间,"tree_size":规模,"v":1}。',
        )
    )
    rows = (
        ("日志规模（见证条数）", sth["tree_size"]),
        ("根哈希（SHA-256）", sth["root_hash"]),
        ("签名时间", f"{sth['timestamp']}\u3000{_cst(sth['timestamp'])}"),
        ("平台公钥指纹（SHA-256）", key["fingerprint"]),
        ("指纹简写", fmt.short_fingerprint(key["fingerprint"])),
        ("平台公钥（Ed25519，Base64）", key["public_key"]),
        ("签名（Ed25519，Base64）", sth["signature"]),
    )
    out.append(
        (
            "table",
            BulletinTable(
                f"表{tables + 1}  平台见证日志签名树头",
                ("项目", "内容"),
                tuple((label, str(value)) for label, value in rows),
                (1.4, 3.6),
            ),
        )
    )
    return out
