"""The form-definition schema (forms/README.md), checkable without loading reportlab.

Listing and validating forms is part of ordinary screens; only rendering needs the PDF stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

FIELD_KINDS = frozenset({"text", "multiline", "date", "choice"})
BLOCK_TYPES = frozenset(
    {
        "title",
        "number",
        "recipient",
        "paragraph",
        "field_line",
        "field_block",
        "evidence_list",
        "signature",
        "date",
        "blank",
    }
)
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class FormDefinitionError(ValueError):
    """The form definition itself is wrong (a programming / configuration error)."""


class FormValueError(ValueError):
    """Values for the form are missing or invalid: message lists the fields for the officer."""


def validate_form(form: Mapping[str, Any]) -> None:
    """Raise :class:`FormDefinitionError` unless ``form`` follows the schema in forms/README.md."""
    for key in ("id", "title", "fields", "layout"):
        if key not in form:
            raise FormDefinitionError(f"form definition lacks {key!r}")
    names: set[str] = set()
    for f in form["fields"]:
        name = f.get("name")
        if not name or name in names:
            raise FormDefinitionError(f"field name missing or duplicated: {name!r}")
        names.add(name)
        if f.get("kind", "text") not in FIELD_KINDS:
            raise FormDefinitionError(f"field {name!r}: unknown kind {f.get('kind')!r}")
        if f.get("kind") == "choice" and not f.get("options"):
            raise FormDefinitionError(f"field {name!r}: choice without options")
    for block in form["layout"]:
        btype = block.get("type")
        if btype not in BLOCK_TYPES:
            raise FormDefinitionError(f"unknown layout block type {btype!r}")
        refs = list(block.get("fields", []))
        if "field" in block:
            refs.append(block["field"])
        refs += PLACEHOLDER.findall(block.get("text", ""))
        for ref in refs:
            if ref not in names:
                raise FormDefinitionError(f"block {btype!r} refers to unknown field {ref!r}")
