"""Migration 6: sync work (see the list below)."""

from __future__ import annotations

MIGRATION_6_SYNC: list[str] = []
