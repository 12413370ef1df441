"""The ontology, shapes and canned queries reach an installed wheel, not only a checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from conftest import DATA, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", folder, ROOT],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (path,) = folder.glob("policygraph-*.whl")
    return path


def test_wheel_contains_ontology_shapes_and_queries(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "policygraph/ontology/policygraph.ttl" in names
    assert "policygraph/ontology/shapes.ttl" in names
    assert "policygraph/queries/co-issuance.rq" in names
    shipped = {n.rsplit("/", 1)[-1] for n in names if n.startswith("policygraph/queries/")}
    assert shipped == {p.name for p in (ROOT / "queries").glob("*.rq")}


def test_installed_wheel_builds_outside_the_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", site, wheel],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(DATA, work / "data")
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [sys.executable, "-c",
         "import policygraph, policygraph.resources as r; print(policygraph.__file__); print(r.ontology_path())"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    module, ontology = probe.stdout.split()
    assert module.startswith(str(site)) and ontology.startswith(str(site))
    result = subprocess.run(
        [sys.executable, "-m", "policygraph", "build"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (work / "out" / "graph.ttl").stat().st_size > 10_000
