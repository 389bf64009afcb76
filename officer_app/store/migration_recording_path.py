"""The path a moving recording followed (issue 19 item 2), beside its start position.

A JSON list of ``[t_utc, lat, lon]`` fixes in one column rather than a table of points: a path
is only ever read whole, with its row (the list, the document, the map), and a body camera's
hour at 1 Hz is 3 600 points, ~150 KB of text.  ``NULL`` for photos and for recordings that stood
still or have no GPS log: they keep their one position in ``lat``/``lon``.  ``path_source`` says
where the fixes came from: ``nmea``/``gpx`` (the log beside the file) or ``track`` (the patrol's
GPX track, by time).

``evidence_gps_logs`` links a recording to the GPS log that was beside it on the card (issue 19:
the log is evidence of its own): the log's bytes are in the content-addressed store under their
SHA-256 like any evidence file, named in the recording's intake ledger entry, and carried by
sync, the USB bundle and the evidence package.  One log per recording.
"""

from __future__ import annotations

MIGRATION_RECORDING_PATH: list[str] = [
    "ALTER TABLE evidence ADD COLUMN path_points TEXT",
    "ALTER TABLE evidence ADD COLUMN path_source TEXT",
    """
    CREATE TABLE evidence_gps_logs (
        evidence_id TEXT PRIMARY KEY REFERENCES evidence(id),
        sha256 TEXT NOT NULL,
        original_name TEXT NOT NULL,
        size INTEGER NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('nmea', 'gpx'))
    )
    """,
    "CREATE INDEX evidence_gps_logs_sha ON evidence_gps_logs(sha256)",
]
