"""Shared fixtures: frozen data, a real build of it, and the CLI as users run it.

Tests read ``tests/fixtures/data`` (a copy of the curated brief), not the live ``data/``, so that
curating the real record never breaks them; ``test_real_data.py`` checks the live ``data/``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from policygraph.build import build
from policygraph.graph.validate import check

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "fixtures" / "data"


@pytest.fixture(scope="session")
def checked():
    """The repository's data, loaded, resolved and validated."""
    result = check(DATA)
    assert result.ok, "\n".join(map(str, result.problems))
    return result


@pytest.fixture(scope="session")
def live_registry():
    """The registries of the live ``data/`` (no sources), indexed for resolving names."""
    from policygraph.records.load import load
    from policygraph.records.registry import Registry

    return Registry(load(ROOT / "data", only=set()))


@pytest.fixture(scope="session")
def live_built(tmp_path_factory):
    """A real build of the live ``data/`` into ``out/`` beside it, SHACL included: what a
    researcher has after `make build`. The README's examples run here."""
    folder = tmp_path_factory.mktemp("live")
    (folder / "data").symlink_to(ROOT / "data", target_is_directory=True)
    return build(folder / "data", folder / "out")


@pytest.fixture(scope="session")
def live(live_built):
    """The folder of the live build: ``data`` and ``out``."""
    return live_built.out.parent


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A real build of data/ into a temporary out/, with its views, as `policygraph build` does."""
    return build_with_views(DATA, tmp_path_factory.mktemp("out"))


def build_with_views(data: Path, out: Path):
    """Build ``data`` into ``out`` and write the views there, as the command composes them."""
    from policygraph.views.render import write

    done = build(data, out)
    write(done.tables or done.store, out)
    return done


@pytest.fixture(scope="session")
def store(built):
    return built.store


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@dataclass
class Ran:
    """What a command did: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session", autouse=True)
def workspace(tmp_path_factory):
    """The folder commands run in unless told otherwise: its ``data`` is the frozen fixture."""
    folder = tmp_path_factory.mktemp("workspace")
    (folder / "data").symlink_to(DATA, target_is_directory=True)
    global WORKSPACE
    WORKSPACE = folder
    return folder


WORKSPACE: Path | None = None


def cli(*args: str | os.PathLike, cwd: Path | None = None) -> Ran:
    """Run a ``policygraph`` command in this process, in ``cwd`` (default: the workspace).

    Click's runner catches the exit; any other exception is raised, so a traceback can never
    pass for a clean error exit.
    """
    from click.testing import CliRunner

    from policygraph.cli import main

    with contextlib.chdir(cwd or WORKSPACE or ROOT):
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def cli_process(*args: str | os.PathLike, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``policygraph`` command as its own process, the way a user would."""
    exe = Path(sys.executable).with_name("policygraph")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "policygraph"]
    return subprocess.run(
        [*command, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or WORKSPACE or ROOT,
        timeout=300,
    )


class Paused:
    """A ``policygraph`` command as a real process, stopped at ``step`` by the test hook
    (``policygraph.testhook``), to be killed or resumed there."""

    def __init__(self, step: str, *args, cwd: Path | None = None):
        exe = Path(sys.executable).with_name("policygraph")
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "policygraph"]
        env = {**os.environ, "POLICYGRAPH_TEST_PAUSE_AT": step}
        self.proc = subprocess.Popen(
            [*command, *map(str, args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env, cwd=cwd,
        )  # fmt: skip
        line = self.proc.stdout.readline()
        assert line.strip() == f"paused at {step}", line

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def resume(self) -> int:
        """Let the command go on to its end; its output is then in ``stdout`` and ``stderr``."""
        self.stdout, self.stderr = self.proc.communicate("\n", timeout=300)
        return self.proc.returncode


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


@contextlib.contextmanager
def _oxigraph(location: Path):
    """A real, writable Oxigraph server on a free loopback port, stopped on leaving."""
    from policygraph.serve.front import free_port, oxigraph_command

    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_command(), "serve", "--location", str(location),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def oxigraph_server(tmp_path):
    """A real, writable Oxigraph server on a free loopback port, stopped after the test."""
    with _oxigraph(tmp_path / "oxigraph") as url:
        yield url


@pytest.fixture(scope="session")
def live_server(live_built, tmp_path_factory):
    """A real Oxigraph server holding the live build's graph, pushed once."""
    from policygraph.backends.push import push_backend

    with _oxigraph(tmp_path_factory.mktemp("live-oxigraph")) as url:
        push_backend(live_built.store, url)
        yield url


CHROMIUM = os.environ.get("POLICYGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's, which .ci/run installs), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), (
        f"{CHROMIUM} is missing: `apt-get install chromium` (see .ci/run)"
    )
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def wait_until_ready(page, seconds: float) -> None:
    """Poll from outside the page: the views' Content-Security-Policy forbids the eval that
    Playwright's own ``wait_for_function`` runs inside it."""
    import time

    deadline = time.monotonic() + seconds
    while not page.evaluate("window.pgReady === true"):
        assert time.monotonic() < deadline, f"the view was not ready within {seconds} s"
        page.wait_for_timeout(25)


class Visit:
    """A page opened with every request but the page's own file refused, and all it logged."""

    def __init__(self, browser, path: Path, wait: float = 60, fragment: str = ""):
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.console.append(("pageerror", str(e))))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url + fragment)
        wait_until_ready(self.page, wait)

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def errors(self) -> list[tuple[str, str]]:
        return [(t, m) for t, m in self.console if t in ("error", "pageerror")]

    def click_node(self, node: str) -> None:
        """Click where the network draws ``node``, as a person would."""
        x, y = self.page.evaluate(
            "id => { const p = pgNetwork.canvasToDOM(pgNetwork.getPositions([id])[id]);"
            " const r = document.querySelector('#pg-network canvas').getBoundingClientRect();"
            " return [r.left + p.x, r.top + p.y]; }",
            node,
        )
        self.page.mouse.click(x, y)

    def panel(self) -> str:
        return self.page.inner_text("#pg-panel-body")

    def close(self) -> None:
        self.context.close()
