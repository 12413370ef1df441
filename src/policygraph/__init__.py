"""policygraph: a knowledge graph of Chinese technology and industrial policy.

The library is the data flow, one module a step: ``load`` reads ``data/`` into ``models``;
``registry`` resolves names; ``graph`` writes the triples; ``validate`` checks them with SHACL;
``store`` holds them; ``queries`` and ``results`` answer SPARQL; ``export`` writes RDF files;
``build`` runs the whole job; ``cli`` is the command line.
"""

__version__ = "0.1.0"

from .build import build, summary  # noqa: E402 - build reads __version__
from .problems import DataError, Problem  # noqa: E402
from .queries import run  # noqa: E402
from .validate import check  # noqa: E402

__all__ = ["build", "check", "run", "summary", "DataError", "Problem"]
