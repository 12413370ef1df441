"""Hostile text: brackets and verbs that made the news regexes quadratic, control characters
and bidi overrides that break terminals and XML, and cells that spreadsheets run as formulas."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from conftest import DATA
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from pyoxigraph import Literal, NamedNode

from policygraph.backends.results import Result, spreadsheet_safe
from policygraph.ingest.briefs import ingest
from policygraph.ingest.news import ISSUING, references
from policygraph.records.load import load
from policygraph.records.models import Event, Url
from policygraph.records.registry import Registry

N = 300_000  # the old patterns took minutes on this; linear ones take milliseconds
NEWS = "MERICS TOP 5\n1. Title\nAt a glance: x\nNOTEWORTHY\nPolicy news\n• March 1, 2024: "


def test_a_trailing_reference_is_found_among_many_brackets_and_spaces():
    text = "(" * N + "MIIT issued a plan " + " " * N + "(Xinhua article, MIIT notice) \n"
    assert references(text) == ("(" * N + "MIIT issued a plan", ["Xinhua article", "MIIT notice"])
    for hostile in ("(" + "A" * N, "(" * N, " " * N + "x", "(A)" + ")" * N, "(" + "Ab " * N + ")x"):
        assert references(hostile) == (hostile, [])


def test_many_verbs_without_a_document_find_none_and_a_near_document_is_found():
    assert ISSUING.search("MIIT issued " * (N // 12)) is None
    m = ISSUING.search("released " * (N // 9) + "new rules on drones, and more")
    assert m["object"].endswith("released new rules on drones") and len(m["object"]) < 220
    assert ISSUING.search("MIIT issued new rules on drones.")["object"] == " new rules on drones"


@pytest.mark.parametrize("bullet", ["(" * N, "(" + "A" * N, "MIIT issued " * (N // 12),
                                    "x" + " " * N + "x", "《" * N, "（中" * (N // 2)])  # fmt: skip
def test_a_hostile_bullet_still_gives_a_draft(bullet):
    draft = ingest(NEWS + bullet + "\n", "hostile", Registry(load(DATA, only=set())))
    assert [i["id"] for i in draft.items] == ["top5-1", "policy-news-1"]
    (news,) = [e for e in draft.events if e["item"] == "policy-news-1"]
    assert news["date"].isoformat() == "2024-03-01"


EVENT = {"id": "e", "item": "policy-news-1", "title_en": "A meeting", "kind": "meeting",
         "date": "2024-03-01"}  # fmt: skip


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\r", "\x7f", "\x9b", "\u202e", "\u2066"])
def test_a_control_character_in_a_text_field_is_refused_naming_the_field(char):
    with pytest.raises(ValidationError) as caught:
        Event.model_validate({**EVENT, "summary": f"before{char}after"})
    (error,) = caught.value.errors()
    assert error["loc"] == ("summary",)
    assert f"holds the control character U+{ord(char):04X} at character 7" in error["msg"]


def test_tabs_and_line_breaks_stay_allowed_in_text():
    event = Event.model_validate({**EVENT, "quote": "line one\n\tline two"})
    assert event.quote == "line one\n\tline two"


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=12))
def test_every_url_the_records_accept_is_an_iri_the_graph_accepts(tail):
    try:
        url = TypeAdapter(Url).validate_python("https://example.org/" + tail)
    except ValidationError:
        return
    assert NamedNode(url).value == url


@pytest.mark.parametrize("bad", ["\x7f", "\x00", " ", "\u202e", "\ue000", "\ufffe", "%zz", "[1]"])
def test_urls_the_graph_would_refuse_are_refused(bad):
    with pytest.raises(ValidationError):
        TypeAdapter(Url).validate_python("https://example.org/a" + bad)


def test_the_table_printer_shows_control_characters_escaped():
    hostile = "red\x1b[31m alarm\x07\u202eevil\x9b2J"
    table = Result(["x"], [[Literal(hostile)]]).format("table")
    assert "red\\x1b[31m alarm\\x07\\u202eevil\\x9b2J" in table
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in table)
    assert "\u202e" not in table


CELLS = {"=HYPERLINK(\"http://x\",\"y\")": "'=HYPERLINK(\"http://x\",\"y\")",
         "+cmd|' /C calc'!A0": "'+cmd|' /C calc'!A0", "-2+3+cmd|x": "'-2+3+cmd|x",
         "@SUM(A1)": "'@SUM(A1)", "\t=1": "'\t=1", "\r=1": "'\r=1", "-3": "-3", "+4.5": "+4.5",
         "-1e3": "-1e3", "MIIT": "MIIT", "2024-03-01": "2024-03-01", "": ""}  # fmt: skip


def test_spreadsheet_formulas_are_quoted_and_numbers_kept():
    assert {cell: spreadsheet_safe(cell) for cell in CELLS} == CELLS
    text = Result(["x"], [[Literal(cell)] for cell in CELLS]).format("csv")
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == list(CELLS.values())


def test_network_files_are_valid_xml_and_their_csv_is_safe(tmp_path):
    from policygraph.views.render import write_files

    graph = nx.Graph()
    graph.add_node("https://e.org/a", notation="=cmd|x", en="A", kind="agency", count=-3)
    graph.add_node("https://e.org/b", notation="", en="bell\x07 and \x1b[2J", kind="agency")
    graph.add_edge("https://e.org/a", "https://e.org/b", weight=2, label="-x")
    written = write_files(graph, tmp_path, "hostile")
    for fmt in ("graphml", "gexf"):
        text = written[fmt].read_text("utf-8")
        ET.fromstring(text.encode())  # parses: no character XML forbids
        assert "bell\\x07 and \\x1b[2J" in text
    rows = list(csv.reader(written["csv"].open(encoding="utf-8")))
    assert rows[1][:4] == ["https://e.org/a", "https://e.org/b", "'=cmd|x", "bell\x07 and \x1b[2J"]
    assert rows[0][4:] == ["label", "weight"] and rows[1][4:] == ["'-x", "2"]
    assert graph.nodes["https://e.org/b"]["en"] == "bell\x07 and \x1b[2J"  # the graph is untouched
