"""Running the platform: ``officer-app platform serve`` and the token administration commands.

Every command takes the same optional database URL (``--db``, else ``$OFFICER_APP_PLATFORM_DB``,
else SQLite in the data dir), so tokens issued by ``add-officer`` land where ``serve`` reads them.
"""

from __future__ import annotations

import logging
from pathlib import Path

from officer_app.platform import auth, db, signing

log = logging.getLogger(__name__)


def serve(
    root: Path,
    *,
    host: str,
    port: int,
    training: bool,
    db_url: str | None = None,
    workers: int = 1,
    certfile: Path | None = None,
    keyfile: Path | None = None,
) -> None:
    """Create or upgrade the schema once, then serve: in this process, or in ``workers``
    processes that each load :func:`officer_app.platform.asgi.create_app` (configured through
    the environment, as a process manager would) and share the listening socket. With
    ``certfile``/``keyfile`` the platform speaks HTTPS itself (else put a TLS proxy in front)."""
    import os

    import uvicorn

    from officer_app.platform import asgi

    paths = db.PlatformPaths(root)
    database = db.Database.for_platform(paths, db_url)
    db.init(paths, training=training, database=database)
    witness_key(paths, database)  # made at the first serve, refused if not this log's key
    database.close()  # each worker's pool starts afresh
    log.info(
        "platform on %s:%s (%s, %s, %d worker(s), %s)",
        host,
        port,
        "training" if training else "normal",
        database.describe(),
        workers,
        "https" if certfile else "http",
    )
    os.environ[asgi.ROOT_ENV] = str(root)
    os.environ[asgi.TRAINING_ENV] = "1" if training else "0"
    if db_url:
        os.environ[db.DB_ENV] = db_url
    uvicorn.run(
        "officer_app.platform.asgi:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        timeout_graceful_shutdown=10,
    )


def witness_key(paths: db.PlatformPaths, database: db.Database) -> signing.WitnessKey:
    """The witness key (created if this platform has none yet), bound to the database's log."""
    key = signing.load_or_create(paths)
    with db.opened(database) as conn:
        signing.bind(conn, key)
    return key


def _mode(database: db.Database) -> bool:
    """Token commands keep the data dir's mode (or start it as normal)."""
    return db.read_mode(database) == "training"


def open_database(root: Path, db_url: str | None) -> db.Database:
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
    with open_database(root, db_url) as database, db.opened(database) as conn:
        return auth.add_officer(conn, agency, name, badge)


def revoke(root: Path, token_id: str, db_url: str | None = None) -> None:
    with open_database(root, db_url) as database, db.opened(database) as conn:
        auth.revoke(conn, token_id)
