"""Migration 8: sync2 work (see the list below)."""

from __future__ import annotations

MIGRATION_8_SYNC2: list[str] = []
