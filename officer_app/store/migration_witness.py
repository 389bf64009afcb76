"""Migration: what the platform witnessed of this laptop's ledger, and the key that signed it.

* ``witness_keys``: the platform's public key, pinned at the first login to that server (trust on
  first use); a different key later is refused unless the officer accepts it explicitly, and a
  replaced key stays so the receipts it signed can still be checked.
* ``witness_receipts``: one row per witnessed ledger head (a leaf of the platform's log): the
  signed receipt as received and the entry hashes it covers, so ``verify`` can check offline that
  the chain still extends every witnessed head and name the first entry where it departs.
* ``witness_heads``: every signed tree head this laptop has seen and checked, so the next sync
  can demand a proof that the platform's log extends it (a forked log is caught).
* ``transfer_custody``: for an incoming transfer, the platform's proofs that the sender's intake
  entries were witnessed; copied into our own ledger when the transfer is accepted.

They live in the main store on purpose: whoever rewrites the store must also forge or remove
them, and forging needs the platform's private key. Append-only like the ledger.
"""

from __future__ import annotations

MIGRATION_WITNESS: list[str] = [
    """
    CREATE TABLE witness_keys (
        server TEXT NOT NULL,                -- normalised platform URL
        algorithm TEXT NOT NULL,             -- 'Ed25519'
        public_key TEXT NOT NULL,            -- base64 of the raw 32-byte key
        fingerprint TEXT NOT NULL,           -- SHA-256 of the raw key, hex (= the log id)
        pinned_at TEXT NOT NULL,             -- the newest pin of a server is its key; older
        PRIMARY KEY (server, fingerprint)    -- ones stay to check the receipts they signed
    )
    """,
    """
    CREATE TABLE witness_receipts (
        log_id TEXT NOT NULL,
        leaf_index INTEGER NOT NULL,
        seq INTEGER NOT NULL,                -- the witnessed head: ledger entry seq ...
        hash TEXT NOT NULL,                  -- ... and its hash
        from_seq INTEGER NOT NULL,           -- first entry of the witnessed segment
        segment TEXT NOT NULL,               -- entry hashes from_seq..seq, hex, concatenated
        receipt TEXT NOT NULL,               -- JSON: leaf, leaf_index, sth, inclusion
        received_at TEXT NOT NULL,
        PRIMARY KEY (log_id, leaf_index)
    )
    """,
    "CREATE INDEX witness_receipts_seq ON witness_receipts(seq)",
    """
    CREATE TABLE witness_heads (
        log_id TEXT NOT NULL,
        tree_size INTEGER NOT NULL,
        root_hash TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        signature TEXT NOT NULL,
        PRIMARY KEY (log_id, tree_size, timestamp)
    )
    """,
    """
    CREATE TABLE transfer_custody (
        transfer_id TEXT PRIMARY KEY REFERENCES transfers(id),
        custody TEXT NOT NULL,               -- JSON: {sha256: receipt + segment_proof}
        fetched_at TEXT NOT NULL
    )
    """,
    """
    CREATE TRIGGER witness_receipts_no_update BEFORE UPDATE ON witness_receipts
    BEGIN SELECT RAISE(ABORT, 'witness receipts are append-only'); END
    """,
    """
    CREATE TRIGGER witness_receipts_no_delete BEFORE DELETE ON witness_receipts
    BEGIN SELECT RAISE(ABORT, 'witness receipts are append-only'); END
    """,
]
