"""Recordings (video, audio) stored beside photos in the same evidence table and chain.

A recording is evidence like a photo: content-addressed file, ledger entry, outbox entry, the
same duplicate check.  What differs is kept in three columns rather than a second table, so every
list, transfer and package that reads ``evidence`` carries recordings without a join: ``kind``
(photo / video / audio), ``duration_s`` and ``codec``.  Existing rows are photos.  Recordings
are 视听资料 in 行政处罚法 §46's list, so their ``evidence_type`` says so (photos keep 电子数据).
"""

from __future__ import annotations

MIGRATION_RECORDINGS: list[str] = [
    "ALTER TABLE evidence ADD COLUMN kind TEXT NOT NULL DEFAULT 'photo'"
    " CHECK (kind IN ('photo', 'video', 'audio'))",
    "ALTER TABLE evidence ADD COLUMN duration_s REAL",
    "ALTER TABLE evidence ADD COLUMN codec TEXT",
]
