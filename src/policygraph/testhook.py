"""A test hook: stop a command at a named step, so that a test can kill it there for real."""

from __future__ import annotations

import os
import sys

PAUSE = "POLICYGRAPH_TEST_PAUSE_AT"


def pause(step: str) -> None:
    """With ``POLICYGRAPH_TEST_PAUSE_AT=step``, print ``paused at STEP`` and wait for a line on
    stdin; otherwise nothing. Only the tests set the variable."""
    if os.environ.get(PAUSE) == step:
        print(f"paused at {step}", flush=True)
        sys.stdin.readline()
