"""The platform as an importable ASGI application, for a process manager.

``officer-app platform serve --workers N`` runs ``uvicorn`` with this factory in each of N worker
processes; any other ASGI server can load it the same way, configured by the environment (a
process manager passes environment, not arguments), e.g. gunicorn with uvicorn workers::

    OFFICER_APP_PLATFORM_ROOT=/srv/officer-platform \\
    OFFICER_APP_PLATFORM_DB=postgresql://platform@/officer_platform \\
    gunicorn -w 4 -k uvicorn_worker.UvicornWorker 'officer_app.platform.asgi:create_app()'

Every worker shares the database and the data dir (blobs, uploads): nothing a request needs
lives only in one process's memory (the upload lock is a row in the database, see :mod:`blobs`).
"""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette

from officer_app.platform import db

ROOT_ENV = "OFFICER_APP_PLATFORM_ROOT"
TRAINING_ENV = "OFFICER_APP_PLATFORM_TRAINING"


def create_app() -> Starlette:
    """The app for the data dir in ``$OFFICER_APP_PLATFORM_ROOT`` and the database of
    ``$OFFICER_APP_PLATFORM_DB`` (SQLite in the data dir when unset); training when
    ``$OFFICER_APP_PLATFORM_TRAINING`` is ``1``. The schema must exist (``platform serve`` or
    ``platform add-officer`` made it); a worker never migrates behind the others' backs."""
    from officer_app.platform.app import build_app

    root = os.environ.get(ROOT_ENV)
    if not root:
        raise RuntimeError(f"{ROOT_ENV} must name the platform's data dir")
    paths = db.PlatformPaths(Path(root))
    database = db.Database.for_platform(paths)
    return build_app(Path(root), training=os.environ.get(TRAINING_ENV) == "1", database=database)
