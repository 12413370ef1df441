"""Hostile data/: files that are no data files, YAML hazards, deep nesting, many errors.

Each attack gives errors naming the file (and the line where there is one), never a traceback,
a hang or unbounded reading. The attacks that could hang or fill memory if the refusal broke
run as their own process with a time and memory limit.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cli

from policygraph.records.load import load, source_files
from policygraph.records.reading import MAX_DEPTH

SOURCE = "sources/merics-top5-2024-02.yaml"
ERROR = re.compile(r"^(?P<file>\S+?)(:(?P<line>\d+))?: error: (?P<rest>.*)$")


def errors(text: str) -> list[re.Match]:
    return [m for m in map(ERROR.match, text.splitlines()) if m]


def bounded(*args) -> subprocess.CompletedProcess:
    """The command in its own process, killed after 60 s and held to 2 GB of memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    return subprocess.run(
        [sys.executable, "-m", "policygraph", *map(str, args)],
        capture_output=True, text=True, timeout=60, preexec_fn=limit,
    )  # fmt: skip


def only_error(stderr: str, path: Path, words: str) -> re.Match:
    found = errors(stderr)
    assert len(found) == 1, stderr
    assert found[0]["file"] == str(path), stderr
    assert words in found[0]["rest"], stderr
    assert "Traceback" not in stderr, stderr
    return found[0]


# -- entries of data/ that are no data files ---------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "build"])
def test_symlink_to_dev_zero_is_refused_unread(data_copy, tmp_path, command):
    link = data_copy / "sources" / "zero.yaml"
    link.symlink_to("/dev/zero")
    args = ["--out", tmp_path / "out"] if command == "build" else []
    result = bounded(command, "--data", data_copy, *args)
    assert result.returncode == 1, result.stderr
    only_error(result.stderr, link, "outside the data folder")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["validate", "build"])
def test_fifo_is_refused_without_hanging(data_copy, tmp_path, command):
    fifo = data_copy / "sources" / "pipe.yaml"
    os.mkfifo(fifo)
    args = ["--out", tmp_path / "out"] if command == "build" else []
    result = bounded(command, "--data", data_copy, *args)
    assert result.returncode == 1, result.stderr
    only_error(result.stderr, fifo, "not a regular file")


def test_fifo_as_a_registry_is_refused(data_copy):
    registry = data_copy / "companies.yaml"
    registry.unlink()
    os.mkfifo(registry)
    result = bounded("validate", "--data", data_copy)
    assert result.returncode == 1, result.stderr
    only_error(result.stderr, registry, "not a regular file")


def test_dangling_symlink_and_directory_are_errors(data_copy):
    dangling = data_copy / "sources" / "gone.yaml"
    dangling.symlink_to(data_copy / "sources" / "never-there.yaml")
    folder = data_copy / "sources" / "folder.yaml"
    folder.mkdir()
    result = cli("validate", "--data", data_copy)
    assert result.returncode == 1
    found = {m["file"]: m["rest"] for m in errors(result.stderr)}
    assert found == {
        str(folder): "a directory, not a data file",
        str(dangling): "a symlink to nothing",
    }, result.stderr


def test_symlink_to_a_file_outside_is_refused(data_copy, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((data_copy / SOURCE).read_text("utf-8"), encoding="utf-8")
    (data_copy / SOURCE).unlink()
    (data_copy / SOURCE).symlink_to(outside)
    result = cli("validate", "--data", data_copy)
    assert result.returncode == 1
    only_error(result.stderr, data_copy / SOURCE, "outside the data folder")


def test_symlinks_within_the_folder_are_read(data_copy):
    """A link to a file inside the data folder is fine, and so is a data folder that is a link."""
    kept = data_copy / "kept"
    kept.mkdir()
    (data_copy / SOURCE).rename(kept / "brief.yaml")
    (data_copy / SOURCE).symlink_to(Path("..") / "kept" / "brief.yaml")
    linked = data_copy.parent / "linked-data"
    linked.symlink_to(data_copy, target_is_directory=True)
    data = load(linked)
    assert len(data.sources) == 1
    assert [p.name for p in source_files(linked)] == [Path(SOURCE).name]


def test_size_cap_and_how_to_raise_it(data_copy, monkeypatch):
    path = data_copy / SOURCE
    with path.open("a", encoding="utf-8") as f:
        f.write("# padding\n" * 30_000)  # 300 KB, more than any other file
    monkeypatch.setenv("POLICYGRAPH_MAX_FILE_MB", "0.25")
    result = cli("validate", "--data", data_copy)
    assert result.returncode == 1
    error = only_error(result.stderr, path, "over the cap of 0.25 MB")
    assert "POLICYGRAPH_MAX_FILE_MB" in error["rest"]
    monkeypatch.setenv("POLICYGRAPH_MAX_FILE_MB", "0.5")
    assert not [p for p in load(data_copy, strict=False).problems if p.severity == "error"]


def test_malformed_size_cap_is_an_error(data_copy, monkeypatch):
    monkeypatch.setenv("POLICYGRAPH_MAX_FILE_MB", "lots")
    result = cli("validate", "--data", data_copy)
    assert result.returncode == 1
    assert "POLICYGRAPH_MAX_FILE_MB must be a positive number (got 'lots')" in result.stderr


# -- YAML hazards ------------------------------------------------------------------------------


def test_duplicate_key_names_file_line_record_and_key(data_copy):
    path = data_copy / SOURCE
    text = path.read_text("utf-8")
    old = "    issued: 2024-02-26\n"
    assert old in text
    path.write_text(text.replace(old, old + "    issued: 2024-02-27\n", 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 2
    result = cli("validate", "--data", data_copy)
    assert result.returncode == 1
    error = only_error(result.stderr, path, "duplicate key 'issued'")
    assert int(error["line"]) == line
    assert error["rest"].startswith(
        "policies[0] 'miit-industrial-data-security-2024-2026': field 'issued':"
    ), error["rest"]
    assert f"first on line {line - 1}" in error["rest"]


def test_duplicate_key_in_json_is_found_too(data_copy):
    path = data_copy / "sources" / "made.yaml"
    source = '"id": "made", "title": "t", "publisher": "p", "period": "2024-02"'
    path.write_text('{"source": {' + source + ', "id": "again"},\n"items": []}\n', "utf-8")
    result = cli("validate", "--data", data_copy)
    error = only_error(result.stderr, path, "duplicate key 'id'")
    assert error["line"] == "1" and "source: field 'id'" in error["rest"]


def test_billion_laughs_is_refused(data_copy):
    """Nine levels of ten aliases each would expand to 10**9 strings."""
    path = data_copy / "sources" / "laughs.yaml"
    rows = ["source: {id: laughs, title: t, publisher: p, period: 2024-02}", "a0: &a0 lol"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = bounded("validate", "--data", data_copy)
    assert result.returncode == 1, result.stderr
    error = only_error(result.stderr, path, "alias *a0: the file's aliases expand")
    assert error["line"] == "3"


@pytest.mark.parametrize(
    "body, words",
    [
        ("source: &me {id: loop, again: *me}", "alias *me: the file's aliases make a loop"),
        ("a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 80)),
         "deeper than 64 levels"),
    ],
    ids=["loop", "deep-chain"],
)  # fmt: skip
def test_aliases_that_loop_or_nest_deep_are_refused(data_copy, body, words):
    path = data_copy / "sources" / "aliases.yaml"
    path.write_text(body + "\n", encoding="utf-8")
    result = cli("validate", "--data", data_copy)
    only_error(result.stderr, path, words)


def test_a_value_used_twice_by_alias_is_read(data_copy):
    """yaml.safe_dump writes an alias for a list used twice: such files load as written."""
    path = data_copy / SOURCE
    text = path.read_text("utf-8")
    text = text.replace("issuers: [MIIT]\n", "issuers: &lead [MIIT]\n", 1)
    text = text.replace("issuers: [MIIT]\n", "issuers: *lead\n", 1)
    assert text.count("*lead") == 1
    path.write_text(text, encoding="utf-8")
    data = load(data_copy, strict=False)
    assert not [p for p in data.problems if p.severity == "error"], data.problems


# -- deep nesting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "source: " + "[" * 100_000 + "]" * 100_000,  # beyond libyaml's own limit
        "source: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),
        "source:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 300)) + "  " * 300 + "v",
        '{"source": ' + "[" * 100_000 + "]" * 100_000 + "}",  # JSON, beyond recursion
        '{"source": ' + "[" * 500 + "]" * 500 + "}",
    ],
    ids=["flow-100000", "flow-just-over", "block-300", "json-100000", "json-500"],
)
def test_deep_nesting_is_an_error(data_copy, body):
    path = data_copy / "sources" / "deep.yaml"
    path.write_text(body + "\n", encoding="utf-8")
    result = cli("validate", "--data", data_copy)
    assert result.returncode == 1
    error = only_error(result.stderr, path, "")
    assert re.search(r"nested deeper|nesting depth", error["rest"]), error["rest"]


# -- many errors in one file -------------------------------------------------------------------


def test_every_error_of_a_large_file_has_its_line(data_copy):
    """300 bad dates and 300 unknown issuers: each error on the line of its own field."""
    rows, want = [], {}
    head = (
        "source: {id: many, title: t, publisher: p, period: 2024-02}\n"
        "items: [{id: i1, section: top5, position: 1, label: x}]\npolicies:\n"
    )
    line = head.count("\n") + 1
    for i in range(600):
        bad_date, bad_agency = i % 2 == 0, i % 2 == 1
        rows.append(
            f"  - id: many-{i}\n    item: i1\n    title_en: Policy {i}\n    type: plan\n"
            f"    issued: {'2024-02-30' if bad_date else '2024-02-26'}\n"
            f"    issuers: [{'MOXX' if bad_agency else 'MIIT'}]\n"
        )
        want[f"many-{i}"] = line + (4 if bad_date else 5)
        line += 6
    path = data_copy / "sources" / "many.yaml"
    path.write_text(head + "".join(rows), encoding="utf-8")
    result = cli("validate", "--data", data_copy, "--no-shacl")
    found = errors(result.stderr)
    assert len(found) == 600, result.stderr[-2000:]
    got = {re.search(r"'(many-\d+)'", m["rest"])[1]: int(m["line"]) for m in found}
    assert got == want


def test_errors_in_a_json_file_have_lines(data_copy):
    doc = {
        "source": {"id": "js", "title": "t", "publisher": "p", "period": "2024-02"},
        "items": [{"id": "i1", "section": "top5", "position": 1, "label": "x"}],
        "policies": [
            {"id": f"js-{i}", "item": "i1", "title_en": "t", "type": "plan",
             "issued": "2024-02-30" if i == 7 else "2024-02-26",
             "issuers": ["MOXX" if i == 9 else "MIIT"]}
            for i in range(12)
        ],
    }  # fmt: skip
    text = json.dumps(doc)[:-1].replace('"policies": [', '"policies": [\n').replace("}, {", "},\n{")
    path = data_copy / "sources" / "js.yaml"
    path.write_text(text + "}\n", encoding="utf-8")
    result = cli("validate", "--data", data_copy, "--no-shacl")
    found = {re.search(r"'(js-\d+)'", m["rest"])[1]: m["line"] for m in errors(result.stderr)}
    assert found == {"js-7": "9", "js-9": "11"}, result.stderr  # one policy a line, from 2
