"""How a build owns and switches ``out/``: one writer at a time, and all outputs switch together.

A build holds an exclusive lock on ``out/.lock`` from start to end (readers take none). It writes
everything new (exports, store, summary, and last the manifest) into ``out/.staging/``, then
moves each into place, the manifest last. The staging manifest is the commit point: a build
killed before it leaves ``out/`` as it was (the next build discards the staging folder); one
killed after it is finished by the next build, before anything else (:func:`prepare`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
from pathlib import Path

from policygraph.backends import STAGING, STORE
from policygraph.errors import StoreError
from policygraph.testhook import pause

LOCK = ".lock"
MANIFEST = "manifest.json"
#: what builds, old and new, leave in out/ when killed: temporary exports and store folders
LEFTOVERS = re.compile(
    r"\.(graph\.\w+|summary\.txt|manifest\.json|index\.html)\.(\d+)\.tmp|store\.(nq|tmp|old)"
)

_held: dict[Path, int] = {}  # out folders this process has locked, with how deep it nests


@contextlib.contextmanager
def locked(out: Path):
    """Hold ``out``'s build lock (re-entrant within this process), or raise :class:`StoreError`."""
    key = out.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(fd)
        raise StoreError(f"another build is writing {out} (pid {pid})") from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[key] = 1
        yield
    finally:
        _held.pop(key, None)
        if created and [p.name for p in out.iterdir()] == [LOCK]:
            # a first build that wrote nothing leaves no out/ behind (bad data, no outputs)
            (out / LOCK).unlink()
            out.rmdir()
        os.close(fd)


def prepare(out: Path) -> str | None:
    """Before a build writes: finish or discard what a killed build left in ``out``, and remove
    its temporary files. Returns a note when an interrupted switch was finished."""
    note = None
    stage = out / STAGING
    if (stage / MANIFEST).exists():
        commit(out)
        note = f"finished switching {out}/ to the outputs of an interrupted build"
    shutil.rmtree(stage, ignore_errors=True)
    for path in out.iterdir() if out.is_dir() else ():
        m = LEFTOVERS.fullmatch(path.name)
        if m is None or (m[2] and _alive(int(m[2]))):
            continue  # a live process's export (`policygraph export -o out/…`) is its own
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return note


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return pid != os.getpid()


def begin(out: Path) -> Path:
    """A fresh, empty staging folder in ``out``."""
    stage = out / STAGING
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def discard(out: Path) -> None:
    """Remove a staging folder that was not committed (no manifest in it yet)."""
    stage = out / STAGING
    if not (stage / MANIFEST).exists():
        shutil.rmtree(stage, ignore_errors=True)


def commit(out: Path) -> None:
    """Move every staged output into place, the manifest last; safe to repeat after a kill."""
    stage = out / STAGING
    for item in sorted(stage.iterdir()):
        if item.name == MANIFEST:
            continue
        target = out / item.name
        if item.is_dir():
            old = out / f"{item.name}.old"
            if target.exists():
                shutil.rmtree(old, ignore_errors=True)
                target.rename(old)
            pause("switching")
            item.rename(target)
        else:
            os.replace(item, target)
    os.replace(stage / MANIFEST, out / MANIFEST)
    pause("switched")
    shutil.rmtree(stage, ignore_errors=True)
    shutil.rmtree(out / f"{STORE}.old", ignore_errors=True)


def write_error(exc: OSError, out: Path) -> str:
    """One line for a failed write into ``out``, saying what became of the old outputs."""
    full = exc.errno == errno.ENOSPC or "No space left" in str(exc)
    reason = "no space left on device" if full else (exc.strerror or str(exc)).splitlines()[0]
    if (out / STAGING / MANIFEST).exists():
        return f"cannot finish writing {out}/: {reason}; the next build finishes it"
    return f"cannot write {out}/: {reason}; {out}/ was left as it was"
