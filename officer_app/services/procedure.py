"""A case with its procedure: the 立案 and its §60 limit, jurisdiction disputes, and whether the
app proposes a transfer (and why). What ``case show`` prints and the GUI's case detail shows."""

from __future__ import annotations

from typing import Any

from officer_app.services import filing, handling
from officer_app.services.context import AppContext


def with_procedure(ctx: AppContext, case: dict[str, Any]) -> dict[str, Any]:
    """``case`` (a ``cases.get_case`` dict) with ``filing``, ``disputes`` and ``handling``."""
    row = {k: case.get(k) for k in ("filed_on", "filed_by", "filed_at", "status")}
    out = dict(case)
    out["filing"] = filing.filing_info(ctx, row)
    out["disputes"] = handling.list_disputes(ctx, case["id"])
    out["handling"] = handling.transfer_proposal(ctx, case)
    return out
