"""Camera cards: removable volumes with a ``DCIM/`` folder (the DCF layout every camera writes).

The officer's path starts with a card in the laptop; finding it saves browsing for the folder.
Where desktops mount removable media: on Linux ``/media/$USER/<label>`` (udisks on Debian/Ubuntu,
UOS, Kylin), ``/run/media/$USER/<label>`` (udisks on Fedora-likes) and ``/media/<label>`` (older
automounters); on Windows a drive letter other than the system drive.  ``OFFICER_APP_MEDIA_DIRS``
(paths joined by ``os.pathsep``) replaces those parents for a deployment with its own mount
points.  Nothing here imports Qt; the window polls :func:`find_cards` (``ui/camera_card.py``).
"""

from __future__ import annotations

import logging
import os
import string
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MEDIA_DIRS_ENV = "OFFICER_APP_MEDIA_DIRS"
#: Counting stops here: a card with more photos is still offered, as "at least" this many.
COUNT_LIMIT = 5000


@dataclass(frozen=True)
class CameraCard:
    root: Path  # the mounted volume
    dcim: Path  # its DCIM folder: what is imported
    photos: int  # photo files under DCIM (at most COUNT_LIMIT)

    @property
    def label(self) -> str:
        """The volume's name as the officer sees it (a drive letter on Windows)."""
        return self.root.name or str(self.root)

    def key(self) -> tuple[str, int]:
        """Same card, same photos: offered once (a new photo on it offers it again)."""
        return str(self.root), self.photos


def _user() -> str:
    import getpass  # on the scan's worker, not at start-up

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers): the env is all there is
        return os.environ.get("USER", "")


def mount_parents() -> list[Path]:
    """The folders whose children are mounted removable volumes, on this system."""
    override = os.environ.get(MEDIA_DIRS_ENV)
    if override:
        return [Path(p) for p in override.split(os.pathsep) if p]
    user = _user()
    parents = [Path("/media") / user, Path("/run/media") / user] if user else []
    return [*parents, Path("/media")]


def _removable_drive(root: str) -> bool:
    """Windows: a mounted drive of type DRIVE_REMOVABLE (card readers, USB sticks)."""
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return False
    drive_removable = 2
    return bool(windll.kernel32.GetDriveTypeW(root) == drive_removable and os.path.exists(root))


def candidate_roots() -> list[Path]:
    """Volumes that may be a camera card: mounted removable media (not yet checked for DCIM)."""
    if sys.platform == "win32" and not os.environ.get(MEDIA_DIRS_ENV):
        system = (os.environ.get("SYSTEMDRIVE") or "C:").upper()[:1]
        return [
            Path(f"{letter}:\\")
            for letter in string.ascii_uppercase
            if letter not in ("A", "B", system) and _removable_drive(f"{letter}:\\")
        ]
    roots: list[Path] = []
    for parent in mount_parents():
        try:
            children = sorted(p for p in parent.iterdir() if p.is_dir())
        except OSError:  # absent, or not ours to read
            continue
        roots += [c for c in children if c not in roots]
    return roots


def _dcim(root: Path) -> Path | None:
    """The card's DCIM folder; some cameras write ``dcim`` (FAT is case-insensitive, ext4 is not)."""
    for name in ("DCIM", "dcim", "Dcim"):
        path = root / name
        try:
            if path.is_dir():
                return path
        except OSError:
            return None
    return None


def count_photos(folder: Path, limit: int = COUNT_LIMIT) -> int:
    """Files the import would take from ``folder`` (its suffixes: the same list), photos and
    recordings alike: a body camera's card holds only videos."""
    from officer_app.services.evidence_import import IMPORT_SUFFIXES  # EXIF readers: not at start

    count = 0
    for _dirpath, _dirs, files in os.walk(folder):
        count += sum(1 for f in files if Path(f).suffix.lower() in IMPORT_SUFFIXES)
        if count >= limit:
            return limit
    return count


def find_cards(roots: Iterable[Path] | None = None) -> list[CameraCard]:
    """Mounted volumes with a DCIM folder holding photos, in mount order."""
    cards = []
    for root in candidate_roots() if roots is None else roots:
        dcim = _dcim(root)
        if dcim is None:
            continue
        try:
            photos = count_photos(dcim)
        except OSError as exc:  # card pulled out while counting
            log.info("camera card %s unreadable: %s", root, exc)
            continue
        if photos:
            cards.append(CameraCard(root, dcim, photos))
    return cards


def first_card_dcim() -> Path | None:
    """The DCIM folder of the first mounted card, without counting photos (file dialogs)."""
    for root in candidate_roots():
        dcim = _dcim(root)
        if dcim is not None:
            return dcim
    return None
