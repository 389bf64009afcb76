"""Running the platform: ``officer-app platform serve`` and the token administration commands.

Every command takes the same optional database URL (``--db``, else ``$OFFICER_APP_PLATFORM_DB``,
else SQLite in the data dir), so tokens issued by ``add-officer`` land where ``serve`` reads them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from officer_app.platform import auth, db, signing

log = logging.getLogger(__name__)


def serve(root: Path, *, host: str, port: int, training: bool, db_url: str | None = None) -> None:
    import uvicorn

    from officer_app.platform.app import build_app

    paths = db.PlatformPaths(root)
    database = db.Database.for_platform(paths, db_url)
    db.init(paths, training=training, database=database)
    witness_key(paths, database)  # made at the first serve, refused if not this log's key
    database.close()  # the app's pool starts afresh in the server's worker threads
    log.info(
        "platform on %s:%s (%s, %s)",
        host,
        port,
        "training" if training else "normal",
        database.describe(),
    )
    app = build_app(root, training=training, database=database)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def witness_key(paths: db.PlatformPaths, database: db.Database) -> signing.WitnessKey:
    """The witness key (created if this platform has none yet), bound to the database's log."""
    key = signing.load_or_create(paths)
    with db.opened(database) as conn:
        signing.bind(conn, key)
    return key


def _mode(database: db.Database) -> bool:
    """Token commands keep the data dir's mode (or start it as normal)."""
    return db.read_mode(database) == "training"


def _database(root: Path, db_url: str | None) -> db.Database:
    """The platform's database, schema ensured; the caller closes it."""
    paths = db.PlatformPaths(root)
    database = db.Database.for_platform(paths, db_url)
    try:
        db.init(paths, training=_mode(database), database=database)
    except BaseException:
        database.close()
        raise
    return database


def add_officer(
    root: Path, agency: str, name: str, badge: str, db_url: str | None = None
) -> dict[str, str]:
    with _database(root, db_url) as database, db.opened(database) as conn:
        return auth.add_officer(conn, agency, name, badge)


def revoke(root: Path, token_id: str, db_url: str | None = None) -> None:
    with _database(root, db_url) as database, db.opened(database) as conn:
        auth.revoke(conn, token_id)
