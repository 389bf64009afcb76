"""Keep Python's cyclic garbage collector off the objects that live as long as the window.

Why: a dashboard refresh allocates some 100,000 row tuples on its worker, which sets off full
collections, and a full collection walks every tracked object in the process: Qt wrappers, code
tables and, once the 统计 page is open, matplotlib (about 87,000 objects in all).  Measured on the
benchmark's 2026Q3 refresh, one refresh in two lost about 60 ms to such a pass on the GUI thread,
between the figures arriving and their paint.  ``gc.freeze()`` moves what is alive now to a
generation no collection walks; objects that die later are still freed by reference counting.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_long_lived() -> None:
    """Collect what is garbage now, then exempt everything left from future full collections.

    Called once the main window is up and again when the 统计 page has loaded matplotlib; the
    collection first means no garbage is frozen for good.
    """
    gc.collect()
    gc.freeze()
    log.debug("%d long-lived objects exempt from full collections", gc.get_freeze_count())
