"""Migration: an officer's optional telephone, printed in the 附注 of the letters they issue.

GB/T 9704 §7.3.6 puts the contact (联系人及电话) in the 附注 under the 成文日期; until now the
profile had a name and a badge only. Existing officers get an empty phone: a letter without one
prints name and badge as before, and a missing phone never blocks issuing.
"""

from __future__ import annotations

MIGRATION_OFFICER_PHONE: list[str] = [
    "ALTER TABLE officers ADD COLUMN phone TEXT NOT NULL DEFAULT ''",
]
