"""Fill unfinished entries of the English .ts from a JSON file of {source: translation}.

For translating a batch of new strings without Qt Linguist:
    .venv/bin/python tools/fill_translations.py new-strings.json
Entries not in the file stay unfinished (and tests/test_translations.py keeps failing on them).
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "officer_app_en.ts"


def main(mapping_file: str) -> int:
    mapping: dict[str, str] = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
    tree = ET.parse(TS)
    left = 0
    for message in tree.iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") != "unfinished":
            continue
        source = message.findtext("source") or ""
        if source in mapping:
            translation.text = mapping[source]
            del translation.attrib["type"]
        else:
            left += 1
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    print(f"filled; {left} entries still unfinished")
    return 0 if left == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
