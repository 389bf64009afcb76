"""Chain of custody witnessed by the platform: a real platform process on loopback (SQLite and
PostgreSQL), two squads' data dirs, and the attacks the witness is there to catch."""

from __future__ import annotations

import base64
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from officer_app.services.context import AppContext
from officer_app.store.blobs import BlobStore
from officer_app.store.ledger import GENESIS, canonical_json, entry_hash
from tests.doc_fixtures import cli
from tests.sync_fixtures import BACKENDS, PlatformProcess, running_platform
from tests.test_sync import _issue_transfer, _login, _real_case, _run, _two_squads, token_env


@pytest.fixture(params=BACKENDS)
def platform(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[PlatformProcess]:
    yield from running_platform(tmp_path / "platform", request.param)


def _verify(capsys: Any, data: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out = _run(capsys, data, "verify", *extra)
    assert isinstance(out, dict), out
    return code, out


def _kinds(result: dict[str, Any]) -> set[str]:
    return {p["kind"] for p in result["problems"]}


def _transfer(tmp_path: Path, platform: PlatformProcess, capsys: Any) -> tuple[Path, Path, str]:
    """青浦 sends a case to 吴江 over the platform: send, sync, accept, sync. (qp, wj, transfer)"""
    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    case_id = _real_case(qp)
    _issue_transfer(qp, case_id)
    _login(capsys, qp, platform.url, qp_tok["token"])
    assert _run(capsys, qp, "sync")[0] == 0
    _login(capsys, wj, platform.url, wj_tok["token"])
    code, report = _run(capsys, wj, "sync")
    assert code == 0 and report["pulled"] == 1 and report["custody_fetched"] == 1, report
    tid = _run(capsys, wj, "transfer", "list")[1][0]["id"]
    assert _run(capsys, wj, "transfer", "accept", tid)[0] == 0
    assert _run(capsys, wj, "sync")[0] == 0
    assert _run(capsys, qp, "sync")[0] == 0
    return qp, wj, tid


def _untrigger(data: Path) -> None:
    with AppContext.open(data) as ctx:
        for name in ("ledger_no_update", "ledger_no_delete"):
            ctx.store.execute(f"DROP TRIGGER {name}")
        for name in ("witness_receipts_no_update", "witness_receipts_no_delete"):
            ctx.store.execute(f"DROP TRIGGER {name}")
        ctx.store.conn.commit()


def test_received_evidence_verifies_on_both_laptops(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp, wj, tid = _transfer(tmp_path, platform, capsys)
    for data in (qp, wj):
        code, result = _verify(capsys, data)
        assert code == 0 and result["ok"], result["problems"]
        assert result["witness"]["receipts"] >= 1
    with AppContext.open(wj) as ctx:
        received = ctx.store.query(
            "SELECT entity_id, payload FROM ledger WHERE kind = 'evidence_received'"
        )
        assert len(received) == 2
        body = json.loads(received[0]["payload"])
        assert body["from_agency"] == "310118" and body["transfer_id"] == tid
        assert body["sender"]["entry"]["kind"] == "evidence_intake"
        assert body["platform_receipt"]["leaf"]["agency"] == "310118"
        sha = body["sha256"]
        # the named sender entry is the 青浦 laptop's own intake entry, seq and hash
        with AppContext.open(qp) as sender:
            own = sender.store.query(
                "SELECT l.seq, l.hash FROM ledger l JOIN evidence e ON e.id = l.entity_id"
                " WHERE e.sha256 = ? AND l.kind = 'evidence_intake'",
                [sha],
            )[0]
        assert (body["sender"]["seq"], body["sender"]["hash"]) == (own["seq"], own["hash"])
        path = BlobStore(ctx.data.evidence_dir).path_for(sha)
        evidence_id = received[0]["entity_id"]

    # a changed received file is caught ...
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[-20] ^= 0x01
    original = bytes(data)
    data[-20] ^= 0x01
    path.write_bytes(original)
    code, result = _verify(capsys, wj)
    assert code == 1 and _kinds(result) == {"changed"}
    path.write_bytes(bytes(data))
    assert _verify(capsys, wj)[0] == 0

    # ... and so is its record pointed at another file
    with AppContext.open(wj) as ctx:
        ctx.store.execute("UPDATE evidence SET sha256 = ? WHERE id = ?", ["ab" * 32, evidence_id])
        ctx.store.conn.commit()
    code, result = _verify(capsys, wj)
    assert code == 1 and "intake_mismatch" in _kinds(result)


def test_received_entry_rewritten_with_a_forged_sender_is_caught(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """Rewriting the received entry (and recomputing the chain after it) to claim a different
    sender entry fails: the receipt proves what the sender's laptop showed the witness."""
    _qp, wj, _tid = _transfer(tmp_path, platform, capsys)
    _untrigger(wj)
    with AppContext.open(wj) as ctx:
        entries = ctx.store.query("SELECT * FROM ledger ORDER BY seq")
        target = next(e for e in entries if e["kind"] == "evidence_received")
        body = json.loads(target["payload"])
        forged = dict(body["sender"]["entry"])
        forged_payload = json.loads(forged["payload"])
        forged_payload["taken_at"] = "2020-01-01T00:00:00+08:00"
        forged["payload"] = canonical_json(forged_payload)
        forged["hash"] = entry_hash(
            forged["seq"],
            forged["kind"],
            forged["entity_id"],
            forged["payload"],
            forged["officer_id"],
            forged["at"],
            forged["prev_hash"],
        )
        body["sender"].update(entry=forged, hash=forged["hash"])
        target["payload"] = canonical_json(body)
        _rewrite_chain(ctx, entries, from_seq=target["seq"])
    code, result = _verify(capsys, wj)
    assert code == 1
    kinds = _kinds(result)
    assert "received_receipt" in kinds and "witness_rewritten" in kinds, result["problems"]


def _rewrite_chain(ctx: AppContext, entries: list[dict[str, Any]], *, from_seq: int) -> None:
    """What an attacker holding the store does: recompute every hash from ``from_seq`` on with the
    public ``entry_hash``, so the chain walk finds nothing wrong."""
    prev = GENESIS
    for e in entries:
        if e["seq"] >= from_seq:
            e["prev_hash"] = prev
            e["hash"] = entry_hash(
                e["seq"], e["kind"], e["entity_id"], e["payload"], e["officer_id"], e["at"], prev
            )
            ctx.store.execute(
                "UPDATE ledger SET payload = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                [e["payload"], e["prev_hash"], e["hash"], e["seq"]],
            )
        prev = e["hash"]
    ctx.store.conn.commit()


def _synced_laptop(tmp_path: Path, platform: PlatformProcess, capsys: Any) -> Path:
    qp_tok, _wj_tok, qp, _wj = _two_squads(tmp_path, platform)
    _real_case(qp)
    _login(capsys, qp, platform.url, qp_tok["token"])
    code, report = _run(capsys, qp, "sync")
    assert code == 0 and report["witness"]["witnessed"], report
    return qp


def _swap_photo(ctx: AppContext) -> tuple[int, str]:
    """Replace the first photo's file, its row and its intake entry's payload (a swapped file):
    returns (intake seq, new sha)."""
    import hashlib

    row = ctx.store.query("SELECT id, sha256 FROM evidence ORDER BY imported_at LIMIT 1")[0]
    forged = b"forged bytes standing in for the photo"
    sha = hashlib.sha256(forged).hexdigest()
    BlobStore(ctx.data.evidence_dir).put(forged, sha)
    ctx.store.execute("UPDATE evidence SET sha256 = ? WHERE id = ?", [sha, row["id"]])
    entry = ctx.store.query(
        "SELECT seq, payload FROM ledger WHERE entity_id = ? AND kind = 'evidence_intake'",
        [row["id"]],
    )[0]
    payload = json.loads(entry["payload"])
    payload["sha256"] = sha
    ctx.store.execute(
        "UPDATE ledger SET payload = ? WHERE seq = ?", [canonical_json(payload), entry["seq"]]
    )
    ctx.store.conn.commit()
    old = BlobStore(ctx.data.evidence_dir).path_for(row["sha256"])
    os.chmod(old, stat.S_IRUSR | stat.S_IWUSR)
    old.unlink()
    return int(entry["seq"]), sha


def _delete_receipts(data: Path) -> None:
    with AppContext.open(data) as ctx:
        ctx.store.execute("DELETE FROM witness_receipts")
        ctx.store.execute("DELETE FROM witness_heads")
        ctx.store.conn.commit()


def test_recomputed_chain_is_caught_offline_and_against_the_platform(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp = _synced_laptop(tmp_path, platform, capsys)
    assert _verify(capsys, qp)[0] == 0
    _untrigger(qp)
    with AppContext.open(qp) as ctx:
        seq, _sha = _swap_photo(ctx)
        _rewrite_chain(ctx, ctx.store.query("SELECT * FROM ledger ORDER BY seq"), from_seq=seq)
    # the store alone, receipts kept: the chain walks, the files match their rows, yet ...
    code, result = _verify(capsys, qp)
    assert code == 1
    assert _kinds(result) == {"witness_rewritten"}, result["problems"]
    problem = result["problems"][0]
    assert problem["ref"] == str(seq) and f"第 {seq} 条" in problem["message_zh"]
    # receipts deleted too: offline verify has nothing to compare with, the platform has
    _delete_receipts(qp)
    code, result = _verify(capsys, qp)
    assert code == 0, result["problems"]
    code, result = _verify(capsys, qp, "--against-platform")
    assert code == 1 and _kinds(result) == {"platform_rewritten"}, result["problems"]
    assert result["problems"][0]["ref"] == str(seq)


def test_truncation_is_caught_offline_and_against_the_platform(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    qp = _synced_laptop(tmp_path, platform, capsys)
    _untrigger(qp)
    with AppContext.open(qp) as ctx:
        last = ctx.store.query(
            "SELECT e.*, l.seq FROM evidence e JOIN ledger l ON l.entity_id = e.id"
            " AND l.kind = 'evidence_intake' ORDER BY l.seq DESC LIMIT 1"
        )[0]
        cut = last["seq"]
        # drop the newest photo with everything after its intake entry: row, file, entries
        ctx.store.execute("DELETE FROM case_evidence WHERE evidence_id = ?", [last["id"]])
        ctx.store.execute("DELETE FROM evidence WHERE id = ?", [last["id"]])
        ctx.store.execute("DELETE FROM ledger WHERE seq >= ?", [cut])
        ctx.store.conn.commit()
        path = BlobStore(ctx.data.evidence_dir).path_for(last["sha256"])
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        path.unlink()
    code, result = _verify(capsys, qp)
    assert code == 1 and _kinds(result) == {"witness_truncated"}, result["problems"]
    assert result["problems"][0]["ref"] == str(cut)
    _delete_receipts(qp)
    assert _verify(capsys, qp)[0] == 0
    code, result = _verify(capsys, qp, "--against-platform")
    assert code == 1 and _kinds(result) == {"platform_truncated"}, result["problems"]
    assert result["problems"][0]["ref"] == str(cut)


def test_forged_and_resigned_receipts_are_rejected(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from officer_app.domain import witness as fmt

    qp = _synced_laptop(tmp_path, platform, capsys)
    _untrigger(qp)
    with AppContext.open(qp) as ctx:
        row = ctx.store.query("SELECT * FROM witness_receipts LIMIT 1")[0]
        receipt = json.loads(row["receipt"])

    def store(r: dict[str, Any]) -> None:
        with AppContext.open(qp) as ctx:
            ctx.store.execute(
                "UPDATE witness_receipts SET receipt = ?, hash = ? WHERE leaf_index = ?",
                [json.dumps(r), r["leaf"]["hash"], row["leaf_index"]],
            )
            ctx.store.conn.commit()

    # forged: the witnessed head changed, signature left as it was
    forged = json.loads(json.dumps(receipt))
    forged["leaf"]["hash"] = "0" * 64
    store(forged)
    code, result = _verify(capsys, qp)
    assert code == 1 and _kinds(result) == {"witness_receipt_invalid"}, result["problems"]

    # re-signed: a whole new tree signed with another key under the pinned log id
    other = Ed25519PrivateKey.generate()
    resigned = json.loads(json.dumps(receipt))
    resigned["leaf"]["hash"] = "0" * 64
    resigned["inclusion"] = []
    resigned["leaf_index"] = 0
    sth = resigned["sth"]
    sth.update(tree_size=1, root_hash=fmt.leaf_hash(resigned["leaf"]).hex())
    sth["signature"] = base64.b64encode(other.sign(fmt.sth_message(sth))).decode()
    store(resigned)
    code, result = _verify(capsys, qp)
    assert code == 1 and _kinds(result) == {"witness_receipt_invalid"}, result["problems"]

    store(receipt)  # the genuine one verifies again
    assert _verify(capsys, qp)[0] == 0


def test_platform_restart_keeps_key_and_log(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    from officer_app.platform.db import PlatformPaths
    from officer_app.platform.signing import key_path

    qp = _synced_laptop(tmp_path, platform, capsys)
    key = key_path(PlatformPaths(platform.root))
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_bytes()
    with AppContext.open(qp) as ctx:
        first = ctx.store.query("SELECT * FROM witness_heads")[0]
    platform.restart()
    assert key.read_bytes() == before
    with AppContext.open(qp) as ctx:  # more work, then a sync to the restarted platform
        from officer_app.services import evidence_import
        from tests.photos import make_photo

        evidence_import.import_files(ctx, [make_photo(tmp_path / "later.jpg", seed=77)])
    code, report = _run(capsys, qp, "sync")
    assert code == 0, report
    # the restarted platform proved its log extends the head the laptop saw before
    assert report["witness"]["tree_size"] > first["tree_size"]
    code, result = _verify(capsys, qp, "--against-platform")
    assert code == 0, result["problems"]
    assert result["witness"]["receipts"] == 2
    assert result["witness"]["against_platform"]["platform_heads"] == 2


def test_changed_platform_key_is_refused_at_login(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """An impostor on the platform's address (another key) is refused; the officer may accept a
    new key only explicitly. And the platform itself will not sign its old log with a new key."""
    from officer_app.platform.db import PlatformPaths
    from officer_app.platform.signing import key_path

    qp_tok, _wj_tok, qp, _wj = _two_squads(tmp_path, platform)
    _login(capsys, qp, platform.url, qp_tok["token"])
    with AppContext.open(qp) as ctx:
        pinned = ctx.store.query("SELECT fingerprint FROM witness_keys")[0]["fingerprint"]
    platform.stop()
    key = key_path(PlatformPaths(platform.root))
    key.rename(key.with_name("elsewhere.pem"))
    with pytest.raises(RuntimeError, match="另一把签名密钥"):
        PlatformProcess(platform.root, port=platform.port, db=platform.db)
    key.with_name("elsewhere.pem").rename(key)
    os.chmod(key, 0o644)
    with pytest.raises(RuntimeError, match="chmod 600"):
        PlatformProcess(platform.root, port=platform.port, db=platform.db)
    os.chmod(key, 0o600)

    impostor = PlatformProcess(tmp_path / "impostor", port=platform.port)
    try:
        tok = impostor.add_officer("310118", "张伟", "31011800123")
        capsys.readouterr()
        with token_env(tok["token"]):
            assert cli(qp, "login", "--server", impostor.url) != 0
        err = capsys.readouterr().err
        assert "签名密钥" in err and "--accept-new-key" in err
        with AppContext.open(qp) as ctx:  # the pin is untouched, no token was kept
            assert [r["fingerprint"] for r in ctx.store.query("SELECT * FROM witness_keys")] == [
                pinned
            ]
        with token_env(tok["token"]):
            code, out = _run(capsys, qp, "login", "--server", impostor.url, "--accept-new-key")
        assert code == 0 and out["witness_key"]["pinned"] == "replaced"
    finally:
        impostor.stop()


def test_bundle_import_is_witnessed_and_its_receipt_reaches_the_laptop(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    from officer_app.platform.bundle_import import import_bundle

    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    _login(capsys, qp, platform.url, qp_tok["token"])  # pinned once, then days offline
    _issue_transfer(qp, _real_case(qp))
    bundle = tmp_path / "usb" / "qp.bundle"
    assert _run(capsys, qp, "bundle", "export", "--out", str(bundle))[0] == 0
    with AppContext.open(qp) as ctx:
        head = ctx.store.scalar("SELECT max(seq) FROM ledger")
        assert ctx.store.scalar("SELECT count(*) FROM witness_receipts") == 0
    imported = import_bundle(platform.root, bundle, platform.db)
    assert imported["witness"]["seq"] == head and imported["witness"]["tree_size"] == 1
    # the receiver gets the sender's custody proofs from the bundle's witness
    _login(capsys, wj, platform.url, wj_tok["token"])
    code, report = _run(capsys, wj, "sync")
    assert code == 0 and report["custody_fetched"] == 1, report
    # the sender collects the bundle's receipt at its next sync
    code, report = _run(capsys, qp, "sync")
    assert code == 0, report
    with AppContext.open(qp) as ctx:
        sources = [
            json.loads(r["receipt"])["leaf"]["source"]
            for r in ctx.store.query("SELECT receipt FROM witness_receipts ORDER BY leaf_index")
        ]
    assert sources == ["bundle"]  # nothing new since: the same head is not witnessed twice
    assert _verify(capsys, qp, "--against-platform")[0] == 0


def test_a_platform_that_forks_its_log_is_caught(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """The platform (or whoever holds its database and key) rewrites an old leaf and re-signs the
    recomputed tree: the laptop's next sync and ``verify --against-platform`` refuse it."""
    from officer_app.domain import merkle
    from officer_app.domain import witness as fmt
    from officer_app.platform.db import PlatformPaths, opened, transaction
    from officer_app.platform.signing import load

    qp = _synced_laptop(tmp_path, platform, capsys)
    platform.stop()
    with opened(platform.db or PlatformPaths(platform.root).db_path) as conn, transaction(conn):
        leaves = [dict(r) for r in conn.execute("SELECT * FROM witness_leaves ORDER BY idx")]
        leaf = json.loads(leaves[0]["leaf"])
        leaf["seq"] = 1  # "that laptop only ever showed me its first entry"
        hashes = []
        for row in leaves:
            if row["idx"] == 0:
                row["leaf"] = fmt.canonical(leaf).decode()
                row["leaf_hash"] = fmt.leaf_hash(leaf).hex()
            hashes.append(bytes.fromhex(row["leaf_hash"]))
            conn.execute(
                "UPDATE witness_leaves SET leaf = ?, leaf_hash = ? WHERE idx = ?",
                [row["leaf"], row["leaf_hash"], row["idx"]],
            )
        conn.execute("DELETE FROM witness_nodes")
        conn.execute("DELETE FROM witness_heads")
        nodes: dict[tuple[int, int], bytes] = {}
        for i, h in enumerate(hashes):
            for level, index, digest in merkle.new_nodes(i, h, lambda a, b: nodes[a, b]):
                nodes[level, index] = digest
        for (level, index), digest in nodes.items():
            conn.execute(
                "INSERT INTO witness_nodes (level, idx, hash) VALUES (?, ?, ?)",
                [level, index, digest.hex()],
            )
    assert load(PlatformPaths(platform.root)) is not None
    platform.restart()
    with AppContext.open(qp) as ctx:
        from officer_app.services import evidence_import
        from tests.photos import make_photo

        evidence_import.import_files(ctx, [make_photo(tmp_path / "later.jpg", seed=78)])
    capsys.readouterr()
    assert cli(qp, "sync") != 0
    assert "见证日志与本机此前见到的不一致" in capsys.readouterr().err
    code, result = _verify(capsys, qp, "--against-platform")
    assert code == 1 and "witness_log_forked" in _kinds(result), result["problems"]


def test_witness_migration_upgrades_a_store_with_data(tmp_path: Path) -> None:
    """A store with photos and a journal, as the release before the witness left it, upgrades:
    the evidence and the journal stay as they were and still verify, the new tables are empty."""
    import sqlite3

    from officer_app.services import evidence_import, verify
    from officer_app.services.officers import add_or_select_officer
    from officer_app.store.migration_witness import MIGRATION_WITNESS
    from officer_app.store.migrations import MIGRATIONS, SCHEMA_VERSION
    from tests.photos import make_photo

    data = tmp_path / "old"
    with AppContext.open(data) as ctx:
        add_or_select_officer(ctx, "张伟", "31011800123", "310118")
        evidence_import.import_files(
            ctx, [make_photo(tmp_path / f"{i}.jpg", seed=i) for i in (1, 2)]
        )
        path = ctx.store.path
    before = MIGRATIONS.index(MIGRATION_WITNESS)
    conn = sqlite3.connect(path)  # back to the previous release's schema, data kept
    for table in ("witness_receipts", "witness_heads", "transfer_custody", "witness_keys"):
        conn.execute(f"DROP TABLE {table}")
    for column in ("path_points", "path_source"):  # a later migration's (recording paths)
        conn.execute(f"ALTER TABLE evidence DROP COLUMN {column}")
    conn.execute("DROP TABLE evidence_gps_logs")
    conn.execute(f"PRAGMA user_version = {before}")
    conn.commit()
    ledger_before = conn.execute("SELECT seq, hash FROM ledger ORDER BY seq").fetchall()
    conn.close()
    with AppContext.open(data) as ctx:
        assert ctx.store.schema_version == SCHEMA_VERSION
        assert ctx.store.scalar("SELECT count(*) FROM witness_receipts") == 0
        rows = ctx.store.query("SELECT seq, hash FROM ledger ORDER BY seq")
        assert [(r["seq"], r["hash"]) for r in rows] == ledger_before
        result = verify.verify(ctx)
        assert result["ok"] and result["witness"]["receipts"] == 0


def _witnessed(heads: list[tuple[int, int, list[str]]]) -> Any:
    """Receipts as ``departure`` sees them: (from_seq, seq, segment hashes or [] if unusable)."""
    from officer_app.domain import witness as fmt
    from officer_app.services.custody_check import Witnessed

    w = Witnessed()
    for first, seq, segment in heads:
        root = fmt.segment_root(segment) if segment else "0" * 64
        w.add({"from_seq": first, "seq": seq, "hash": f"{seq:064x}", "entries_root": root}, segment)
    return w


def test_departure_names_the_first_entry_that_left_the_witness() -> None:
    from officer_app.services.custody_check import departure

    chain = {i: f"{i:064x}" for i in range(1, 11)}
    seg = lambda a, b: [f"{i:064x}" for i in range(a, b + 1)]  # noqa: E731
    witnessed = _witnessed([(1, 4, seg(1, 4)), (5, 8, seg(5, 8))])
    assert departure(witnessed, chain, "witness", "回执") == []

    rewritten = {**chain, **{i: f"{i + 100:064x}" for i in range(6, 11)}}
    [p] = departure(witnessed, rewritten, "witness", "回执")
    assert (p.kind, p.ref) == ("witness_rewritten", "6") and "第 6 条" in p.message_zh

    truncated = {i: h for i, h in chain.items() if i < 7}
    [p] = departure(witnessed, truncated, "witness", "回执")
    assert (p.kind, p.ref) == ("witness_truncated", "7")

    cut_and_refilled = {**truncated, **{i: f"{i + 200:064x}" for i in range(7, 10)}}
    [p] = departure(witnessed, cut_and_refilled, "witness", "回执")
    assert (p.kind, p.ref) == ("witness_rewritten", "7")

    # the second receipt's segment unusable (its stored hashes were tampered with): only the range
    blind = _witnessed([(1, 4, seg(1, 4)), (5, 8, [])])
    [p] = departure(blind, rewritten, "witness", "回执")
    assert p.ref == "5-8" and "第 5 至 8 条之间" in p.message_zh


def test_a_changed_witness_id_does_not_hide_the_history(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """The attacker renames the laptop's witness id (and re-files its token under it), so the
    platform's record of this laptop seems to be someone else's: reported, not passed."""
    from officer_app.store import sync_state
    from officer_app.sync import credentials

    qp = _synced_laptop(tmp_path, platform, capsys)
    _untrigger(qp)
    _delete_receipts(qp)
    with AppContext.open(qp) as ctx:
        server = sync_state.get(ctx.store, sync_state.SERVER_URL)
        assert server
        token = credentials.load_token(ctx.store, server)
        sync_state.put(ctx.store, sync_state.CLIENT_ID, "0badc0de-0000-4000-8000-000000000000")
        credentials.save_token(ctx.store, server, token)
    code, result = _verify(capsys, qp, "--against-platform")
    assert code == 1 and _kinds(result) == {"witness_unknown"}, result["problems"]


def test_a_witness_id_of_another_agency_starts_that_agencys_own_history(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """吴江's laptop claims 青浦's witness id: the platform files its head under 吴江's own history
    (not refused, which would tell 吴江 the id is used elsewhere; not written into 青浦's)."""
    from officer_app.services import evidence_import
    from officer_app.store import sync_state
    from officer_app.sync import credentials
    from tests.photos import make_photo

    qp_tok, wj_tok, qp, wj = _two_squads(tmp_path, platform)
    _real_case(qp)
    _login(capsys, qp, platform.url, qp_tok["token"])
    assert _run(capsys, qp, "sync")[0] == 0
    _login(capsys, wj, platform.url, wj_tok["token"])
    with AppContext.open(qp) as ctx:
        stolen = sync_state.client_id(ctx.store)
    with AppContext.open(wj) as ctx:
        evidence_import.import_files(ctx, [make_photo(tmp_path / "wj.jpg", seed=5)])
        sync_state.put(ctx.store, sync_state.CLIENT_ID, stolen)
        credentials.save_token(ctx.store, platform.url, wj_tok["token"])
    code, report = _run(capsys, wj, "sync")
    assert code == 0 and report["pushed"] >= 1 and report["witness"]["witnessed"], report
    code, result = _verify(capsys, wj, "--against-platform")
    assert code == 0 and result["witness"]["against_platform"]["platform_heads"] == 1, result
    with AppContext.open(qp) as ctx:  # one keyring serves both "laptops" in this process
        credentials.save_token(ctx.store, platform.url, qp_tok["token"])
    code, result = _verify(capsys, qp, "--against-platform")
    assert code == 0 and result["witness"]["against_platform"]["platform_heads"] == 1, result


def test_a_journal_the_platform_will_not_witness_does_not_stop_the_sync(
    tmp_path: Path, platform: PlatformProcess, capsys: Any
) -> None:
    """A damaged journal (an entry's hash is not a hash at all) is refused by the witness; the
    sync still pushes the records, and the report says in Chinese why nothing was witnessed."""
    qp_tok, _wj_tok, qp, _wj = _two_squads(tmp_path, platform)
    _real_case(qp)
    _untrigger(qp)
    with AppContext.open(qp) as ctx:
        ctx.store.execute("UPDATE ledger SET hash = 'damaged' WHERE seq = 1")
        ctx.store.conn.commit()
    _login(capsys, qp, platform.url, qp_tok["token"])
    code, report = _run(capsys, qp, "sync")
    assert code == 0 and report["pushed"] >= 1, report
    assert report["witness"] == {
        "witnessed": False,
        "reason": "见证请求中有格式不正确的日志哈希。",
    }
    with AppContext.open(qp) as ctx:
        assert ctx.store.query("SELECT count(*) AS n FROM witness_receipts")[0]["n"] == 0
    code, result = _verify(capsys, qp)
    assert code == 1 and "ledger_altered" in _kinds(result), result["problems"]
