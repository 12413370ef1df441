"""The ontology in the store, and the triples it entails, each in a named graph of its own.

The ontology (``ontology/policygraph.ttl``) goes into ``id/graph/ontology``, so that a query can
ask the store what a term means. Its ``rdfs:subPropertyOf`` and ``rdfs:subClassOf`` axioms are
then *materialised*: every triple they entail that no graph states goes into
``id/graph/inferred``. So ``?x pg:reportsFigure ?t`` finds targets and ``?t a pg:Figure`` finds
them too, on every store, including a SPARQL server with no reasoner, and for any query a
researcher writes (property paths in the canned queries would help those alone). The facts stay
in the graph of the brief that states them, so ``GRAPH ?g`` still says who said what, and the
inferred graph says: derived, by the ontology.

Only entailments into terms the ontology declares for use (``owl:Class``, ``owl:ObjectProperty``,
``owl:DatatypeProperty``) are written: not annotation properties (``pg:officialText`` is not
copied to ``rdfs:seeAlso``, where the views list the links a brief cites) nor alignment terms
(``eli:``, ``schema:``) that the graph never uses.

>>> import pyoxigraph
>>> from policygraph.graph.vocab import PG, mint
>>> store = pyoxigraph.Store()
>>> store.add(pyoxigraph.Quad(mint("policy", "p"), PG.setsTarget, mint("target", "p-1"),
...                           mint("source", "s")))
>>> entail(store)
>>> [str(q.predicate) for q in store.quads_for_pattern(None, None, None, INFERRED)]
['<https://w3id.org/policygraph/ontology#reportsFigure>']
"""

from __future__ import annotations

import pyoxigraph
from pyoxigraph import Quad

from policygraph.graph.vocab import mint
from policygraph.resources import ontology_path

ONTOLOGY = mint("graph", "ontology")
INFERRED = mint("graph", "inferred")

_DECLARED = "VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }"
_PROLOGUE = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
#: each sub-property's statements, restated with each declared super-property it has
SUBPROPERTIES = f"""{_PROLOGUE}
INSERT {{ GRAPH <{INFERRED.value}> {{ ?s ?super ?o }} }}
WHERE {{
  GRAPH <{ONTOLOGY.value}> {{ ?sub rdfs:subPropertyOf+ ?super . ?super a ?kind . {_DECLARED} }}
  GRAPH ?g {{ ?s ?sub ?o }}
  FILTER (?g != <{ONTOLOGY.value}>)
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s ?super ?o }} }}
}}"""
#: each resource of a sub-class, typed with each declared super-class
SUBCLASSES = f"""{_PROLOGUE}
INSERT {{ GRAPH <{INFERRED.value}> {{ ?s a ?super }} }}
WHERE {{
  GRAPH <{ONTOLOGY.value}> {{ ?sub rdfs:subClassOf+ ?super . ?super a ?kind . {_DECLARED} }}
  GRAPH ?g {{ ?s a ?sub }}
  FILTER (?g != <{ONTOLOGY.value}>)
  FILTER NOT EXISTS {{ GRAPH ?h {{ ?s a ?super }} }}
}}"""


def ontology_quads() -> list[Quad]:
    """The ontology's triples, in the ontology's named graph."""
    with open(ontology_path(), "rb") as f:
        triples = pyoxigraph.parse(f, format=pyoxigraph.RdfFormat.TURTLE)
        return [Quad(t.subject, t.predicate, t.object, ONTOLOGY) for t in triples]


def entail(store: pyoxigraph.Store) -> None:
    """(Re)write the ontology graph and the inferred graph of ``store`` from its other graphs."""
    store.remove_graph(ONTOLOGY)
    store.remove_graph(INFERRED)
    store.extend(ontology_quads())
    # properties first: a sub-property's range says nothing of types, so one pass of each is all
    store.update(SUBPROPERTIES)
    store.update(SUBCLASSES)
