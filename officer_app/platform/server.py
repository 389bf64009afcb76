"""Running the platform: ``officer-app platform serve`` and the token administration commands."""

from __future__ import annotations

import logging
from pathlib import Path

from officer_app.platform import auth, db

log = logging.getLogger(__name__)


def serve(root: Path, *, host: str, port: int, training: bool) -> None:
    import uvicorn

    from officer_app.platform.app import build_app

    paths = db.PlatformPaths(root)
    db.init(paths, training=training)
    log.info("platform on %s:%s (%s)", host, port, "training" if training else "normal")
    uvicorn.run(build_app(root, training=training), host=host, port=port, log_level="warning")


def _mode(paths: db.PlatformPaths) -> bool:
    """Token commands keep the data dir's mode (or start it as normal)."""
    if paths.db_path.is_file():
        with db.opened(paths.db_path) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'mode'").fetchone()
            return bool(row and row[0] == "training")
    return False


def add_officer(root: Path, agency: str, name: str, badge: str) -> dict[str, str]:
    paths = db.PlatformPaths(root)
    db.init(paths, training=_mode(paths))
    with db.opened(paths.db_path) as conn:
        return auth.add_officer(conn, agency, name, badge)


def revoke(root: Path, token_id: str) -> None:
    paths = db.PlatformPaths(root)
    db.init(paths, training=_mode(paths))
    with db.opened(paths.db_path) as conn:
        auth.revoke(conn, token_id)
