"""The user guide: every image it shows exists (made by tools/screenshot.py), every link resolves."""

from __future__ import annotations

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide"


def test_every_image_the_guide_references_exists() -> None:
    text = (GUIDE / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    assert len(images) >= 10
    missing = [image for image in images if not (GUIDE / image).is_file()]
    assert not missing, f"regenerate with tools/screenshot.py --out docs/guide/images: {missing}"


def test_every_image_made_is_used_or_an_english_or_large_variant() -> None:
    """Keep the image folder from collecting stale screenshots nobody looks at."""
    text = (GUIDE / "README.md").read_text(encoding="utf-8")
    unused = [
        p.name
        for p in sorted((GUIDE / "images").glob("*.png"))
        if f"images/{p.name}" not in text and not p.name.startswith(("en-", "large-"))
    ]
    assert not unused, unused
