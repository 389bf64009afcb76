"""The document faces as the officer and the deployment see them (``document fonts``).

Kept apart from :mod:`officer_app.documents.fonts` so the command line and the UI get plain dicts and
the officer's error, never reportlab objects or a trace.
"""

from __future__ import annotations

from typing import Any

from officer_app.services.documents import PrintError


def list_faces() -> list[dict[str, Any]]:
    """Role, family, file, SHA-256 and licence of each face documents are set in, in role order."""
    from officer_app.documents.fonts import (
        ROLE_ENV_VARS,
        ROLE_NAMES_ZH,
        FontNotFoundError,
        load_faces,
    )

    try:
        faces = load_faces()
    except FontNotFoundError as exc:
        raise PrintError(str(exc), "font not found") from exc
    return [
        {
            "role": f.role,
            "role_zh": ROLE_NAMES_ZH[f.role],
            "family": f.family,
            "file": str(f.path),
            "sha256": f.sha256,
            "licence": f.licence,
            "postscript_name": f.font.face.name.decode("latin-1", "replace"),
            "env_var": ROLE_ENV_VARS[f.role],
        }
        for f in faces.values()
    ]
