"""The commands, run as a user runs them."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph
import pytest
import rdflib
from conftest import DATA, cli


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "out"
    result = cli("build", "--out", out)
    assert result.returncode == 0, result.stderr
    return out, result


def test_build_writes_everything_and_summarises(out):
    folder, result = out
    for name in ("graph.ttl", "graph.nt", "graph.jsonld", "graph.trig"):
        assert (folder / name).stat().st_size > 10_000
    assert (folder / "store" / "POLICYGRAPH_COMPLETE").exists()
    assert "Policy 10" in result.stdout
    assert "MIIT + NHC: 2 policies" in result.stdout
    assert "2026: 13 targets" in result.stdout
    assert "MOHRSS" in result.stderr  # the item-5 conflict is reported as a warning


def test_validate_reports_conflicts_as_warnings():
    result = cli("validate", "--notes")
    assert result.returncode == 0, result.stderr
    assert "is valid: 0 errors, 2 warnings, 2 notes" in result.stdout
    assert "merics-top5-2024-02.yaml" in result.stderr
    assert "'mohrss-high-skilled-leading-talent'" in result.stderr


@pytest.mark.parametrize(
    ("fmt", "parser"), [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")]
)
def test_export(out, tmp_path, fmt, parser):
    folder, _ = out
    target = tmp_path / f"g.{fmt}"
    result = cli("export", "--format", fmt, "-o", target, "--store", folder / "store")
    assert result.returncode == 0, result.stderr
    assert len(rdflib.Graph().parse(target, format=parser)) == len(
        rdflib.Graph().parse(folder / "graph.nt")
    )


def test_export_trig_from_memory(tmp_path):
    target = tmp_path / "g.trig"
    result = cli("export", "-o", target, "--store", "memory")
    assert result.returncode == 0, result.stderr
    graphs = {
        q.graph_name for q in pyoxigraph.parse(path=str(target), format=pyoxigraph.RdfFormat.TRIG)
    }
    assert len(graphs) == 6  # agencies, sectors, companies, one brief, ontology, inferred


def test_query_table_csv_json(out):
    store = out[0] / "store"
    table = cli("query", "co-issuers", "-p", "agency=MIIT", "--store", store)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[2].split()[2] == "NHC"
    rows = list(
        csv.DictReader(
            io.StringIO(
                cli(
                    "query",
                    "co-issuers",
                    "-p",
                    "agency=National Health Commission",
                    "--format",
                    "csv",
                    "--store",
                    store,
                ).stdout
            )
        )
    )
    assert {r["acronym"]: r["policies"] for r in rows}["MIIT"] == "2"
    doc = json.loads(cli("query", "target-years", "--format", "json", "--store", store).stdout)
    assert doc["head"]["vars"] == ["year", "targets", "setters"]
    assert [b["year"]["value"] for b in doc["results"]["bindings"]] == ["2025", "2026", "2027"]


def test_query_text_and_file(out, tmp_path):
    store = out[0] / "store"
    text = cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Policy }", "--store", store)
    assert text.returncode == 0 and text.stdout.split()[-1] == "10"
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# param: name string required\n"
        "SELECT ?name ?a WHERE { ?a skos:prefLabel ?l FILTER(STR(?l) = ?name) }\n"
    )
    hit = cli("query", rq, "-p", "name=国家卫生健康委员会", "--format", "csv", "--store", store)
    assert hit.stdout.splitlines()[1].endswith("/agency/nhc")


@pytest.mark.parametrize(
    "value", ['"} ; DROP ALL ; #', "a\"b'c", "x\ny", "<http://e/>", 'MIIT" || true']
)
def test_parameters_are_bound_as_terms_not_text(out, tmp_path, value):
    store = out[0] / "store"
    rq = tmp_path / "mine.rq"
    rq.write_text(
        "# param: name string required\n"
        "SELECT ?name (COUNT(?a) AS ?n) WHERE { OPTIONAL { ?a skos:prefLabel ?l FILTER(STR(?l) = ?name) } }"
        " GROUP BY ?name\n"
    )
    result = cli("query", rq, "-p", f"name={value}", "--format", "json", "--store", store)
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)["results"]["bindings"]
    assert row["name"]["value"] == value  # matched literally, whole
    assert row["n"]["value"] == "0"
    assert (
        cli("query", "agency-policies", "-p", f"agency={value}", "--store", store).returncode == 2
    )


def test_query_errors_are_clear(out):
    store = out[0] / "store"
    missing = cli("query", "co-issuers", "--store", store)
    assert missing.returncode == 2 and "needs --param agency" in missing.stderr
    unknown = cli("query", "no-such-query", "--store", store)
    assert unknown.returncode == 2 and "no canned query" in unknown.stderr
    syntax = cli("query", "SELECT * WHERE { ?s ?p }", "--store", store)
    assert syntax.returncode == 2 and "syntax error" in syntax.stderr
    extra = cli("query", "class-counts", "-p", "year=2026", "--store", store)
    assert extra.returncode == 2 and "has no parameter 'year'" in extra.stderr


def test_queries_lists_every_canned_query():
    result = cli("queries")
    assert result.returncode == 0
    for name in ("co-issuance", "agency-policies", "targets-by-year", "sectors-by-policies"):
        assert f"{name}:" in result.stdout


def test_reading_commands_fall_back_to_data_without_a_store(tmp_path):
    result = cli("query", "class-counts", "--data", DATA, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "pg:Policy" in result.stdout


def test_commands_find_the_checkout_from_a_subfolder(tmp_path):
    """A folder holding data/ and a built out/store: a command run deep inside it finds both."""
    (tmp_path / "data").symlink_to(DATA, target_is_directory=True)
    assert cli("build", "--no-shacl", cwd=tmp_path).returncode == 0
    deep = tmp_path / "notes" / "2026"
    deep.mkdir(parents=True)
    result = cli("query", "co-issuers", "-p", "agency=NHC", cwd=deep)
    assert result.returncode == 0, result.stderr
    assert "MIIT" in result.stdout
    built = cli("build", "--no-shacl", cwd=deep)  # the same build, not a new one in notes/2026
    assert built.returncode == 0 and "nothing was reloaded" in built.stdout
    assert not (deep / "out").exists()


def test_commands_from_an_unrelated_folder_say_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("POLICYGRAPH_HOME", raising=False)
    monkeypatch.delenv("POLICYGRAPH_STORE", raising=False)
    for args in (("query", "class-counts"), ("serve",), ("build",)):
        result = cli(*args, cwd=tmp_path)
        assert result.returncode == 1, args
        message = result.stderr.strip()
        assert "\n" not in message and "has errors" not in message
        assert "run `policygraph build` in your checkout" in message
        assert "POLICYGRAPH_HOME" in message


def test_the_environment_names_the_checkout_or_the_store(tmp_path, monkeypatch, built):
    monkeypatch.setenv("POLICYGRAPH_STORE", str(built.files["store"]))
    result = cli("query", "class-counts", cwd=tmp_path)
    assert result.returncode == 0 and "pg:Policy" in result.stdout
    monkeypatch.delenv("POLICYGRAPH_STORE")
    checkout = tmp_path / "checkout"
    (checkout / "data").mkdir(parents=True)
    (checkout / "data").rmdir()
    (checkout / "data").symlink_to(DATA, target_is_directory=True)
    monkeypatch.setenv("POLICYGRAPH_HOME", str(checkout))
    result = cli("query", "co-issuers", "-p", "agency=NHC", cwd=tmp_path)  # from data, in memory
    assert result.returncode == 0 and "MIIT" in result.stdout


def test_ctrl_c_stops_a_long_query_at_once(built):
    """The store evaluates outside Python; the command waits where Ctrl-C reaches it."""
    import signal
    import time

    from conftest import Paused

    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    paused = Paused("query", "query", "--store", built.out / "store", endless)
    paused.proc.stdin.write("\n")
    paused.proc.stdin.flush()
    time.sleep(0.5)  # the query is under way (the command is interrupted either way)
    paused.proc.send_signal(signal.SIGINT)
    out, err = paused.proc.communicate(timeout=60)
    assert paused.proc.returncode == 130, err
    assert "interrupted: the query was stopped" in err and "Traceback" not in err and out == ""
