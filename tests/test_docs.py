"""The README is tested: its example commands give the output it shows, its tables are complete."""

from __future__ import annotations

import re
import shlex

import pytest
import rdflib
from conftest import ROOT, cli

from policygraph.resources import ontology_path

README = (ROOT / "README.md").read_text(encoding="utf-8")


def console_examples() -> list[tuple[str, str]]:
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        command, _, output = block.partition("\n")
        assert command.startswith("$ policygraph "), command
        examples.append((command[2:], output.rstrip("\n")))
    return examples


@pytest.mark.parametrize(("command", "output"), console_examples(), ids=lambda v: v[:40])
def test_readme_examples_give_the_output_shown(command, output, live):
    result = cli(*shlex.split(command)[1:], cwd=live)  # on the build of the live data/
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip("\n") == output


def test_readme_lists_every_ontology_term():
    ontology = rdflib.Graph().parse(ontology_path(), format="turtle")
    pg = "https://w3id.org/policygraph/ontology#"
    own = {
        str(s)[len(pg) :] for s in ontology.subjects(rdflib.RDF.type, None) if str(s).startswith(pg)
    }
    listed = set(re.findall(r"`pg:(\w+)`", README))
    assert own - listed == set(), "ontology terms missing from the README table"
    assert listed - own == set(), "README names terms the ontology does not declare"


def test_readme_lists_every_canned_query_command_and_module():
    package = ROOT / "src" / "policygraph"
    for module in package.rglob("*.py"):
        if module.stem not in ("__init__", "__main__"):
            assert f"{module.name}" in README, module.relative_to(package)
    for folder in package.iterdir():
        if (folder / "__init__.py").exists():
            assert f"{folder.name}/" in README, folder.name
    for command in ("build", "validate", "query", "queries", "export"):
        assert f"`policygraph {command}" in README, command
    assert "make build" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
