"""Migration 7: bulletin work (see the list below)."""

from __future__ import annotations

MIGRATION_7_BULLETIN: list[str] = []
