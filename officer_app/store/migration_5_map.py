"""Migration 5: map work (see the list below)."""

from __future__ import annotations

MIGRATION_5_MAP: list[str] = []
