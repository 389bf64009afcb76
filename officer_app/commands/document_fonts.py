"""``officer-app document fonts``: which face each role of a printed document is set in."""

from __future__ import annotations

import argparse
from typing import Any

from officer_app.commands.base import Outcome


def register(dsub: Any, json_flag: argparse.ArgumentParser) -> None:
    p = dsub.add_parser(
        "fonts", parents=[json_flag], help="faces by role: family, file, SHA-256, licence"
    )
    p.set_defaults(handler=_fonts)


def _fonts(args: argparse.Namespace) -> Outcome:
    # No store needed: the faces are the machine's (bundled files or the deployment's choice).
    from officer_app.services.fonts import list_faces

    faces = list_faces()
    text = "\n".join(
        f"{f['role_zh']}  {f['family']}  {f['licence']}\n  {f['file']}\n  SHA-256 {f['sha256']}"
        for f in faces
    )
    return Outcome(faces, text)
