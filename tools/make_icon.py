"""Draw the app icon (resources/icons/officer-app.png and .ico) with the bundled font.

Run once when the design changes: .venv/bin/python tools/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    size = 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.rounded_rectangle((8, 8, size - 8, size - 8), radius=44, fill=(22, 78, 140, 255))
    draw.rounded_rectangle(
        (24, 24, size - 24, size - 24), radius=32, outline=(240, 196, 60, 255), width=8
    )
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "gbsn00lp.ttf"), 150)
    draw.text((size / 2, size / 2 + 4), "城", font=font, fill=(255, 255, 255, 255), anchor="mm")
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    img.save(out / "officer-app.png")
    img.save(out / "officer-app.ico", sizes=[(16, 16), (32, 32), (48, 48), (256, 256)])


if __name__ == "__main__":
    main()
