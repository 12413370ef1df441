"""A build never loses data or leaves out/ mixed: duplicate source ids, concurrent builds, builds
killed at each step, a full disk, leftovers of killed builds. Builds run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pyoxigraph
import pytest
from conftest import Paused, cli_process, snapshot
from test_incremental import SECOND  # a second source file, shared with the incremental tests

from policygraph.build import build

GRAPH = "https://w3id.org/policygraph/id/source/second-brief"


@pytest.fixture
def built_out(data_copy, tmp_path):
    (data_copy / "sources" / "second.yaml").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    ran = cli_process("build", "--data", data_copy, "--out", out)
    assert ran.returncode == 0, ran.stderr
    return data_copy, out


def outputs(out: Path) -> dict[str, str]:
    """The build's outputs: not the lock file (it names the last builder), not the staging."""
    return {k: v for k, v in snapshot(out).items() if k != ".lock" and k[:9] != ".staging/"}


def trig(out: Path) -> set:
    return set(pyoxigraph.parse(path=str(out / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))


def stored(out: Path) -> set:
    store = pyoxigraph.Store.read_only(str(out / "store"))
    return set(store.quads_for_pattern(None, None, None, None))


def graphs(quads: set) -> set[str]:
    return {q.graph_name.value for q in quads}


def problems(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if ": error" in line)


@pytest.mark.parametrize("name", ["third.yaml", "0-first.yaml"])
def test_a_reused_source_id_fails_the_incremental_build_as_the_full_one(built_out, name):
    data, out = built_out
    before = outputs(out)
    reuse = SECOND.replace("test-policy-one", "test-policy-two")
    (data / "sources" / name).write_text(reuse, encoding="utf-8")
    ran = cli_process("build", "--data", data, "--out", out)
    full = cli_process("build", "--data", data, "--out", out, "--full")
    assert ran.returncode == full.returncode == 1
    assert "duplicate id" in ran.stderr and "Traceback" not in ran.stderr
    assert problems(ran.stderr) == problems(full.stderr)
    assert outputs(out) == before
    (data / "sources" / name).unlink()
    again = cli_process("build", "--data", data, "--out", out)
    assert again.returncode == 0 and "up to date" in again.stdout
    assert GRAPH in graphs(trig(out)) and GRAPH in graphs(stored(out))


def test_a_second_build_into_the_same_out_is_refused_and_readers_still_read(built_out):
    data, out = built_out
    first = Paused("exported", "build", "--data", data, "--out", out, "--full")
    try:
        second = cli_process("build", "--data", data, "--out", out)
        assert second.returncode == 1
        message = f"policygraph: another build is writing {out} (pid {first.proc.pid})"
        assert second.stderr.strip() == message
        read = cli_process("query", "class-counts", "--store", out / "store")
        assert read.returncode == 0 and "Policy" in read.stdout
    finally:
        assert first.resume() == 0
    assert cli_process("build", "--data", data, "--out", out).returncode == 0


STEPS = ["exported", "staged", "switching", "switched"]


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
@pytest.mark.parametrize("step", STEPS)
def test_a_killed_build_leaves_one_whole_build_and_the_next_finishes(
    built_out, tmp_path, step, full
):
    data, out = built_out
    old = outputs(out)
    path = data / "sources" / "second.yaml"
    path.write_text(SECOND.replace("[MIIT, NDRC]", "[MIIT, MOF]"), encoding="utf-8")
    expected = build(data, tmp_path / "expected", incremental=False).out
    Paused(step, "build", "--data", data, "--out", out, *(["--full"] if full else [])).kill()
    if STEPS.index(step) < STEPS.index("switching"):
        assert outputs(out) == old  # not one file of the new build
    elif step == "switching":  # killed between moving files: readers are told
        read = cli_process("query", "class-counts", cwd=tmp_path)
        assert "interrupted while switching" in read.stderr
        named = cli_process("query", "class-counts", "--store", out / "store", cwd=tmp_path)
        assert "interrupted while switching" in named.stderr  # not "no store: run build"
    else:
        assert trig(out) == stored(out) == trig(expected)
    again = cli_process("build", "--data", data, "--out", out)
    assert again.returncode == 0, again.stderr
    assert trig(out) == stored(out) == trig(expected)
    assert (out / "summary.txt").read_text() == (expected / "summary.txt").read_text()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest == json.loads((expected / "manifest.json").read_text())
    left = {p.name for p in out.iterdir()} - {p.name for p in expected.iterdir()}
    assert left <= {".lock", "index.html", "views", "networks", "site"}


def test_the_next_build_removes_what_killed_builds_left(built_out):
    data, out = built_out
    dead = subprocess.Popen(["true"])
    dead.wait()
    live = subprocess.Popen(["sleep", "60"])
    try:
        leftovers = [f".graph.nt.{dead.pid}.tmp", f".summary.txt.{dead.pid}.tmp", "store.nq"]
        for name in [*leftovers, f".graph.ttl.{live.pid}.tmp", "notes.txt"]:
            (out / name).write_text("x")
        for name in ["store.tmp", "store.old", ".staging"]:
            (out / name).mkdir()
            (out / name / "000001.sst").write_text("x")
        ran = cli_process("build", "--data", data, "--out", out)
        assert ran.returncode == 0 and "up to date" in ran.stdout
        names = {p.name for p in out.iterdir()}
        assert not names & {*leftovers, "store.tmp", "store.old", ".staging"}
        assert {f".graph.ttl.{live.pid}.tmp", "notes.txt"} <= names  # not ours, or not dead
    finally:
        live.kill()
        live.wait()


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MB tmpfs, to fill up for real."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


@pytest.mark.parametrize("free", [50_000, 700_000])
@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_full_disk_gives_one_line_and_keeps_the_old_outputs(data_copy, small_disk, free, full):
    out = small_disk / "out"
    assert cli_process("build", "--data", data_copy, "--out", out).returncode == 0
    (data_copy / "sources" / "second.yaml").write_text(SECOND, encoding="utf-8")
    before = outputs(out)
    filler = small_disk / "filler"
    stat = os.statvfs(small_disk)
    filler.write_bytes(b"\0" * max(stat.f_bavail * stat.f_frsize - free, 0))
    ran = cli_process("build", "--data", data_copy, "--out", out, *(["--full"] if full else []))
    assert ran.returncode == 1
    assert ran.stderr.strip().splitlines() == [
        f"policygraph: cannot write {out}/: no space left on device; {out}/ was left as it was"
    ]
    assert outputs(out) == before and not (out / ".staging").exists()
    filler.unlink()
    again = cli_process("build", "--data", data_copy, "--out", out)
    assert again.returncode == 0, again.stderr
    assert GRAPH in graphs(stored(out)) and GRAPH in graphs(trig(out))
