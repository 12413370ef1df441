"""Files that ship with policygraph: the ontology, the SHACL shapes and the canned queries.

In a checkout they live at the top of the repository; in an installed wheel, inside the package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``ontology`` or ``queries``), wherever policygraph is installed."""
    packaged = Path(str(resources.files("policygraph"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"policygraph's {name}/ folder is missing from this installation")


def ontology_path() -> Path:
    """``ontology/policygraph.ttl``."""
    return resource_dir("ontology") / "policygraph.ttl"


def shapes_path() -> Path:
    """``ontology/shapes.ttl``."""
    return resource_dir("ontology") / "shapes.ttl"
