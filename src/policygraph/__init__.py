"""policygraph: a knowledge graph of Chinese technology and industrial policy.

The library is the data flow, one module a step: ``load`` reads ``data/`` into ``models``;
``registry`` resolves names; ``graph`` writes the triples; ``validate`` checks them with SHACL;
``store`` holds them; ``queries`` and ``results`` answer SPARQL; ``export`` writes RDF files;
``build`` runs the whole job; ``cli`` is the command line.
"""

from .build import build, summary
from .problems import DataError, Problem
from .queries import run
from .validate import check

__all__ = ["build", "check", "run", "summary", "DataError", "Problem"]
__version__ = "0.1.0"
