"""Fault hooks for crash tests: ``OFFICER_APP_FAULT=<point>`` ends the process at that point.

The end is as abrupt as a power cut or ``kill -9``: no ``finally``, no ``atexit``, no flush.
POSIX sends SIGKILL; Windows has no SIGKILL, and ``os.kill`` with SIGTERM there calls
``TerminateProcess``, which is just as abrupt (``os._exit`` is the last resort).
"""

from __future__ import annotations

import logging
import os
import signal

FAULT_ENV = "OFFICER_APP_FAULT"
log = logging.getLogger(__name__)


def fault_point(name: str) -> None:
    if os.environ.get(FAULT_ENV) != name:
        return
    log.warning("fault hook %s: killing the process", name)
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
    os._exit(137)  # pragma: no cover - only if the signal did not end us
