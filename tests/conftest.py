"""Shared fixtures: the repository's data, a real build of it, and the CLI as users run it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policygraph.build import build
from policygraph.validate import check

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def checked():
    """The repository's data, loaded, resolved and validated."""
    result = check(DATA)
    assert result.ok, "\n".join(map(str, result.problems))
    return result


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A real build of data/ into a temporary out/."""
    return build(DATA, tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="session")
def store(built):
    return built.store


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def cli(*args: str | os.PathLike, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``policygraph`` command the way a user would."""
    exe = Path(sys.executable).with_name("policygraph")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "policygraph"]
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300
    )


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with a hash of its bytes, to prove nothing changed."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    import socket
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {port}")


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real, writable Oxigraph server on a free loopback port, stopped after the test."""
    from policygraph.serve import free_port, oxigraph_command

    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_command(), "serve", "--location", str(tmp_path / "oxigraph"),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()
