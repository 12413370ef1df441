"""Bad input: one clear error naming file, record and field; non-zero exit; out/ untouched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import cli, snapshot

SOURCE = "sources/merics-top5-2024-02.yaml"


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def malformed_yaml(d):
    replace(d / "agencies.yaml", "  - id: miit\n", "  - id: miit\n    aliases: [工信部\n")


def unknown_agency(d):
    replace(d / SOURCE, "issuers: [MIIT, NHC]", "issuers: [MIIT, MOXX]")


def impossible_date(d):
    replace(d / SOURCE, "issued: 2024-02-02", "issued: 2024-02-30")


def duplicate_id(d):
    replace(
        d / SOURCE,
        "  - id: sc-waste-recycling-system-guidance",
        "  - id: sc-carbon-emissions-trading-regulations",
    )


def target_without_value(d):
    replace(
        d / SOURCE,
        "{metric: standards related to carbon peaking formulated, value: 200, ",
        "{metric: standards related to carbon peaking formulated, ",
    )


def unbalanced_chinese_title(d):
    replace(d / SOURCE, "title_zh: 脑机接口研究伦理指引", "title_zh: 《脑机接口研究伦理指引")


def url_with_a_quote(d):
    replace(d / SOURCE, "art_1a556c20db1b4e19a12578044db0558e.html",
            'art_1a556c20db1b4e19a12578044db0558e.html"onmouseover="x')  # fmt: skip


CASES = {
    # case: (breaker, file, record, field, words in the message)
    "malformed YAML": (malformed_yaml, "agencies.yaml", None, None, "malformed YAML"),
    "unknown agency": (
        unknown_agency,
        SOURCE,
        "miit-nhc-broadband-healthy-countryside-pilots-1",
        "issuers.1",
        "unknown agency 'MOXX'",
    ),
    "impossible date": (
        impossible_date,
        SOURCE,
        "most-bci-research-ethics-guidelines",
        "issued",
        "2024-02-30",
    ),
    "duplicate id": (
        duplicate_id,
        SOURCE,
        "sc-carbon-emissions-trading-regulations",
        "id",
        "duplicate id",
    ),
    "target without a value": (
        target_without_value,
        SOURCE,
        "miit-industrial-carbon-standard-system-guide",
        "targets.0.value",
        "is required",
    ),
    "URL that is no IRI": (
        url_with_a_quote,  # in an item's links: its policies' references to it are no errors
        SOURCE,
        "top5-1",
        "links.3",
        "should match pattern",
    ),
    "unbalanced Chinese title": (
        unbalanced_chinese_title,
        SOURCE,
        "most-bci-research-ethics-guidelines",
        "title_zh",
        "never closed",
    ),
}


@pytest.fixture(scope="module")
def earlier_out(tmp_path_factory):
    """An out/ from an earlier good build, which a failed build must leave as it was."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    result = cli("build", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_one_clear_error_and_keeps_out(case, data_copy, earlier_out):
    breaker, file, record, field, words = CASES[case]
    breaker(data_copy)
    before = snapshot(earlier_out)
    for command in (
        ("build", "--data", data_copy, "--out", earlier_out),
        ("validate", "--data", data_copy),
    ):
        result = cli(*command)
        assert result.returncode == 1, (command, result.stdout, result.stderr)
        errors = [line for line in result.stderr.splitlines() if ": error:" in line]
        assert len(errors) == 1, result.stderr
        error = errors[0]
        assert error.startswith(str(data_copy / file)), error
        assert re.match(r"^\S+:\d+: error", error), f"no line number: {error}"
        if record:
            assert repr(record) in error, error
        if field:
            assert f"field {field!r}" in error, error
        assert words in error, error
    assert snapshot(earlier_out) == before


def test_missing_data_folder(tmp_path):
    result = cli("validate", "--data", tmp_path / "nowhere")
    assert result.returncode == 1
    assert "no such data folder" in result.stderr


def test_unknown_field_is_named(data_copy):
    replace(
        data_copy / SOURCE,
        "    type: guideline\n    issued: 2024-02-02",
        "    type: guideline\n    isued: 2024-02-02",
    )
    result = cli("validate", "--data", data_copy, "--no-shacl")
    assert result.returncode == 1
    assert "field 'isued': is not a field of this record" in result.stderr
    assert "field 'issued': is required" in result.stderr


def test_not_utf8(data_copy):
    (data_copy / "companies.yaml").write_bytes("companies: []\n# 公司\n".encode("gb18030"))
    result = cli("validate", "--data", data_copy)
    assert result.returncode == 1
    assert "companies.yaml: error: not UTF-8 text" in result.stderr


def test_killed_store_is_refused(built, tmp_path):
    import shutil

    from policygraph.backends.embedded import COMPLETE

    half = tmp_path / "store"
    shutil.copytree(built.files["store"], half)
    (half / COMPLETE).unlink()
    result = cli("query", "class-counts", "--store", half)
    assert result.returncode == 1
    assert "incomplete" in result.stderr
