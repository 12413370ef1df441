"""One source of truth per concern, and tests that catch the copies drifting apart."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef

from policygraph.backends.embedded import union_graph
from policygraph.graph import triples as graph_mod
from policygraph.graph.triples import FIELD_MAP, NESTED, SUBJECT, Context, triples
from policygraph.graph.validate import shacl_problems, shape_predicates
from policygraph.graph.vocab import mint
from policygraph.records import kinds, models
from policygraph.resources import ontology_path, shapes_path

PG = Namespace("https://w3id.org/policygraph/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCT = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")


@pytest.fixture(scope="module")
def ontology():
    return rdflib.Graph().parse(ontology_path(), format="turtle")


@pytest.fixture(scope="module")
def union(store):
    """Every graph but the ontology's own (whose terms are the ontology's vocabulary)."""
    import pyoxigraph

    from policygraph.graph.entail import ONTOLOGY

    data = pyoxigraph.Store()
    data.extend(q for q in store.quads() if q.graph_name != ONTOLOGY)
    return union_graph(data)


def declared(ontology):
    return set(ontology.subjects(RDF.type, None))


def test_every_class_and_predicate_in_the_graph_is_declared(union, ontology):
    used = set(union.predicates()) | set(union.objects(None, RDF.type))
    missing = used - declared(ontology)
    assert not missing, f"used but not declared in the ontology: {sorted(missing)}"


def test_every_own_term_is_labelled_commented_and_typed(ontology):
    own = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(str(PG))}
    assert len(own) > 30
    for term in own:
        assert ontology.value(term, RDFS.label), term
        assert ontology.value(term, RDFS.comment), term
        kinds = set(ontology.objects(term, RDF.type))
        if kinds & {rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty}:
            has_domain = ontology.value(term, RDFS.domain) or ontology.value(
                term, SCHEMA.domainIncludes
            )
            assert has_domain and ontology.value(term, RDFS.range), (
                f"{term} needs a domain and a range"
            )


def test_field_map_covers_every_model_field():
    for model in kinds.MODELS:
        assert set(FIELD_MAP[model]) == set(model.model_fields), model.__name__


def test_field_map_predicates_are_declared(ontology):
    terms = declared(ontology)
    for model, fields in FIELD_MAP.items():
        for name, mapping in fields.items():
            if mapping in (SUBJECT, NESTED):
                continue
            for predicate in mapping[0]:
                assert URIRef(predicate.value) in terms, f"{model.__name__}.{name}: {predicate}"


def _full(model):
    """An instance of ``model`` with every field filled, to see each one reach RDF."""
    sample = {
        models.Agency: dict(
            id="abc",
            acronym="ABC",
            name_en="A B C",
            name_zh="甲乙丙",
            aliases=["甲"],
            kind="ministry",
            parent="sc",
            wikidata="Q1",
            dissolved=2000,
            successors=["sc"],
        ),
        models.Sector: dict(id="s", label_en="S", label_zh="行业", aliases=["S2"], broader="t"),
        models.Company: dict(
            id="c", name_en="C", name_zh="公司", aliases=["C2"], parent="d", wikidata="Q2"
        ),
        models.Target: dict(
            metric="m",
            value=Decimal(1),
            unit="u",
            comparator=">",
            deadline=2026,
            period_start=2024,
            period_end=2026,
            quote="Q",
        ),
        models.Figure: dict(
            metric="m", value=Decimal(1), unit="u", comparator="~", year=2023, quote="Q"
        ),
        models.Item: dict(
            id="i", section="top5", position=1, label="L", links=["https://x.org/"], about=["p"]
        ),
        models.Brief: dict(
            id="b",
            title="T",
            publisher="P",
            period="2024-02",
            url="https://x.org/",
            licence="L",
            retrieved=dt.date(2026, 1, 1),
        ),
        models.Subject: dict(
            id="k", notation="甲\\乙", label_zh="乙", label_en="B", broader="j", sectors=["s"]
        ),
    }
    if model not in (models.Policy, models.Event):
        return model.model_validate(sample[model])
    common = dict(
        item="i",
        sectors=["s"],
        companies=["c"],
        summary="S",
        quote="Q",
        links=["https://x.org/"],
        targets=[_full(models.Target)],
        figures=[_full(models.Figure)],
    )
    sample[models.Policy] = dict(
        id="p",
        subject="k",
        title_en="T",
        title_zh="通知",
        type="plan",
        issued=dt.date(2024, 1, 1),
        issuers=["miit"],
        declared_issuer_count=2,
        document_number="国办发〔2023〕12号",
        in_force=dt.date(2024, 2, 1),
        official_url="https://x.org/",
        forwards=["q"],
        forward_action="approve-and-forward",
        **common,
    )
    sample[models.Event] = dict(
        id="e", title_en="T", kind="meeting", date=dt.date(2024, 1, 1), agencies=["miit"], **common
    )
    return model.model_validate(sample[model])


@pytest.mark.parametrize("model", kinds.MODELS, ids=lambda m: m.__name__)
def test_every_mapped_field_is_written(model):
    record = _full(model)
    written = {p for _, p, _ in triples(mint("policy", "x"), record, Context(brief="b"))}
    for name, mapping in FIELD_MAP[model].items():
        if mapping == SUBJECT:
            continue
        if mapping == NESTED:
            assert graph_mod.NESTED_LINK[name] in written, name
            continue
        for predicate in mapping[0]:
            assert predicate in written, f"{model.__name__}.{name} wrote no {predicate}"


def _sh_in(shapes, path):
    for prop in shapes.subjects(SH.path, path):
        lst = shapes.value(prop, SH["in"])
        if lst is not None:
            return {str(x) for x in rdflib.collection.Collection(shapes, lst)}
    raise AssertionError(f"no sh:in for {path}")


@pytest.mark.parametrize(
    ("predicate", "literal_type"),
    [
        (PG.documentType, models.DocumentType),
        (PG.eventType, models.EventKind),
        (PG.agencyKind, models.AgencyKind),
        (PG.comparator, models.Comparator),
        (PG.forwardAction, models.ForwardAction),
    ],
)
def test_shacl_value_lists_match_the_models(predicate, literal_type):
    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    assert _sh_in(shapes, predicate) == set(typing.get_args(literal_type))


def test_shacl_passes_on_the_built_graph(union):
    assert shacl_problems(union) == []


POLICY = URIRef(
    "https://w3id.org/policygraph/id/policy/miit-nhc-broadband-healthy-countryside-pilots-1"
)
TARGET = URIRef("https://w3id.org/policygraph/id/target/miit-industrial-data-security-2024-2026-1")
AGENCY = URIRef("https://w3id.org/policygraph/id/agency/nhc")
OTHER = URIRef("https://w3id.org/policygraph/id/policy/miit-industrial-data-security-2024-2026")


def _drop(g, s, p, lang=None):
    for o in list(g.objects(s, p)):
        if lang is None or getattr(o, "language", None) == lang:
            g.remove((s, p, o))


BREAKAGES = {
    "policy without a date": lambda g: _drop(g, POLICY, DCT.issued),
    "policy without issuers": lambda g: (
        _drop(g, POLICY, PG.issuedBy),
        _drop(g, POLICY, PG.leadIssuer),
    ),
    "policy without any title": lambda g: _drop(g, POLICY, DCT.title),
    "policy with two English titles": lambda g: g.add(
        (POLICY, DCT.title, Literal("Again", lang="en"))
    ),
    "lead issuer not an issuer": lambda g: g.add(
        (POLICY, PG.leadIssuer, URIRef(str(AGENCY)[:-3] + "mof"))
    ),
    "fewer declared than named": lambda g: (
        _drop(g, POLICY, PG.declaredIssuerCount),
        g.add((POLICY, PG.declaredIssuerCount, Literal(1))),
    ),
    "target without a value": lambda g: _drop(g, TARGET, PG.targetValue),
    "target without a deadline": lambda g: _drop(g, TARGET, PG.deadlineYear),
    "agency without a Chinese name": lambda g: _drop(g, AGENCY, rdflib.SKOS.prefLabel, "zh"),
    "unknown document type": lambda g: (
        _drop(g, POLICY, PG.documentType),
        g.add((POLICY, PG.documentType, Literal("memo"))),
    ),
    "issuer that is not an agency": lambda g: g.add(
        (POLICY, PG.issuedBy, URIRef("https://example.org/x"))
    ),
    "forwards what is not a policy": lambda g: g.add((POLICY, PG.forwards, AGENCY)),
    "forwards itself": lambda g: g.add((POLICY, PG.forwards, POLICY)),
    "forward action without a forwarded document": lambda g: g.add(
        (POLICY, PG.forwardAction, Literal("forward"))
    ),
    "unknown forward action": lambda g: (
        g.add((POLICY, PG.forwards, OTHER)),
        g.add((POLICY, PG.forwardAction, Literal("relay"))),
    ),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_shacl_fails_on_graphs_broken_on_purpose(union, breakage):
    broken = rdflib.Graph()
    for t in union:
        broken.add(t)
    BREAKAGES[breakage](broken)
    problems = shacl_problems(broken)
    assert problems, f"SHACL accepted a graph with a {breakage}"
    assert all(p.severity == "error" and "SHACL" in p.message for p in problems)


def test_a_forwarding_pair_passes_shacl(union):
    """The breakages above fail for what they break: a well-formed forward passes."""
    fine = rdflib.Graph()
    for t in union:
        fine.add(t)
    fine.add((POLICY, PG.forwards, OTHER))
    fine.add((POLICY, PG.forwardAction, Literal("forward")))
    assert shacl_problems(fine) == []


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_shacl_on_the_predicates_shapes_name_finds_the_same(union, breakage):
    """A build validates only the triples whose predicate a shape names (and in place):
    the violations must be those of the whole graph."""
    keep = {URIRef(p.value) for p in shape_predicates()}
    broken, kept = rdflib.Graph(), rdflib.Graph()
    for t in union:
        broken.add(t)
    BREAKAGES[breakage](broken)
    for t in broken:
        if t[1] in keep:
            kept.add(t)
    assert len(kept) < len(broken)
    assert shacl_problems(kept, inplace=True) == shacl_problems(broken)


# -- the table of kinds (records/kinds.py) against everything that repeats it -------------------


def _expand(curie: str) -> URIRef:
    from policygraph.graph.vocab import expand

    return URIRef(expand(curie))


def test_every_record_model_has_exactly_one_kind():
    record_models = {
        m
        for m in vars(models).values()
        if isinstance(m, type) and issubclass(m, models.Record) and m.__module__ == models.__name__
    }
    bases = {b for m in record_models for b in m.__mro__[1:]}  # Record, Quantity: shared parts
    written = record_models - bases - {models.SourceFile, models.TableFile}  # containers
    assert written == set(kinds.MODELS)
    assert set(FIELD_MAP) == set(kinds.MODELS)


def test_kind_classes_are_declared_and_each_kind_has_its_shape(ontology):
    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    pgsh = Namespace("https://w3id.org/policygraph/shapes#")
    terms = declared(ontology)
    for kind in kinds.KINDS.values():
        for cls in kind.classes:
            if cls.startswith("pg:"):
                assert _expand(cls) in terms, f"{kind.name}: {cls} is not in the ontology"
        if kind.shape:
            targets = set(shapes.objects(pgsh[kind.shape], SH.targetClass))
            assert _expand(kind.classes[0]) in targets, f"{kind.name}: {kind.shape}"


@pytest.mark.parametrize("name, role", [("_nodes", "node"), ("_records", "record")])
def test_the_network_queries_list_the_kinds_of_their_role(name, role):
    """The hidden queries that feed the networks name each kind of their role and no other."""
    import re

    from policygraph.backends.queries import get

    text = get(name).text
    pairs = set(re.findall(r'\((pg:\w+) "(\w+)"\)', text))
    wanted = {(k.classes[0], k.name) for k in kinds.KINDS.values() if k.role == role}
    assert pairs == wanted


def test_minted_segments_and_prefixes_follow_the_kinds():
    from policygraph.graph.vocab import PREFIXES

    for kind in kinds.KINDS.values():
        assert mint(kind.segment, "x").value.endswith(f"/{kind.segment}/x")
        if kind.role != "internal":
            assert kind.segment in PREFIXES
