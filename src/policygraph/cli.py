"""The ``policygraph`` command: short commands over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph

from . import queries as queries_mod
from .build import build as build_graph
from .build import summary
from .export import FORMATS, export, format_for
from .problems import DataError, Problem
from .queries import QueryError
from .results import FORMATS as RESULT_FORMATS
from .results import Result
from .store import COMPLETE, StoreError, memory_store, open_disk_store
from .validate import check

DATA = click.option("--data", "data", default="data", show_default=True,
                    type=click.Path(file_okay=False), help="The folder of YAML registries and sources.")  # fmt: skip
STORE = click.option("--store", "store_spec", default=None,
                     help="'memory' (build from --data), or an on-disk store folder. "
                          "Default: out/store if built, else memory.")  # fmt: skip


def _report(problems: list[Problem], *, show_notes: bool = False) -> None:
    for p in problems:
        if p.severity != "note" or show_notes:
            click.echo(str(p), err=True)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"policygraph: {message}", err=True)
    sys.exit(code)


def _open(store_spec: str | None, data: str) -> pyoxigraph.Store:
    """The store a reading command works on."""
    if store_spec is None:
        default = Path("out/store")
        if (default / COMPLETE).exists():
            _warn_if_stale(default, Path(data))
            return open_disk_store(default)
        store_spec = "memory"
    if store_spec == "memory":
        checked = check(data)
        if not checked.ok or checked.quads is None:
            raise DataError(checked.problems)
        return memory_store(checked.quads)
    return open_disk_store(store_spec)


def _warn_if_stale(store: Path, data: Path) -> None:
    built = (store / COMPLETE).stat().st_mtime
    if data.is_dir() and any(f.stat().st_mtime > built for f in data.rglob("*.yaml")):
        click.echo(f"policygraph: note: {data}/ changed after {store} was built; "
                   "run `policygraph build` to refresh it", err=True)  # fmt: skip


@click.group()
@click.version_option(package_name="policygraph")
def main() -> None:
    """A knowledge graph of Chinese technology and industrial policy."""


@main.command()
@DATA
@click.option("--out", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Where the exports and the on-disk store go.")  # fmt: skip
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation (faster on large corpora).")
def build(data: str, out: str, no_shacl: bool) -> None:
    """Validate data/, build the graph and write out/: exports, store and summary."""
    try:
        built = build_graph(data, out, shacl=not no_shacl)
    except DataError as exc:
        _report(exc.problems)
        _fail(f"{data}/ has errors; nothing was written to {out}/")
    _report(built.problems)
    click.echo(summary(built.store))
    click.echo(f"Wrote {built.triples} triples to {out}/:")
    for name, path in built.files.items():
        size = (
            sum(f.stat().st_size for f in path.rglob("*")) if path.is_dir() else path.stat().st_size
        )
        click.echo(f"  {path}  ({name}, {size:,} bytes)")


@main.command()
@DATA
@click.option("--no-shacl", is_flag=True, help="Check records and references only.")
@click.option(
    "--notes", is_flag=True, help="Also show notes (e.g. sources that name only some issuers)."
)
def validate(data: str, no_shacl: bool, notes: bool) -> None:
    """Check data/ without building: exit 1 on errors; conflicts are warnings."""
    checked = check(data, shacl=not no_shacl)
    _report(checked.problems, show_notes=notes)
    counts = {
        k: sum(1 for p in checked.problems if p.severity == k) for k in ("error", "warning", "note")
    }
    verdict = "invalid" if counts["error"] else "valid"
    tally = ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in counts.items())
    click.echo(f"{data}/ is {verdict}: {tally}")
    if counts["error"]:
        sys.exit(1)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="Default: from the file name's suffix.")  # fmt: skip
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The file to write."
)
@DATA
@STORE
def export_(fmt: str | None, output: str, data: str, store_spec: str | None) -> None:
    """Export the graph to a file: turtle, nt, jsonld, trig or nquads."""
    try:
        fmt = fmt or format_for(output)
        path = export(_open(store_spec, data), output, fmt)
    except (ValueError, StoreError) as exc:
        _fail(str(exc))
    except DataError as exc:
        _report(exc.problems)
        _fail(f"{data}/ has errors")
    click.echo(f"Wrote {path} ({fmt}, {path.stat().st_size:,} bytes)")


@main.command()
@click.argument("spec")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter, bound as an RDF term. Repeatable.")  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True
)
@DATA
@STORE
def query(spec: str, params: tuple[str, ...], fmt: str, data: str, store_spec: str | None) -> None:
    """Run SPEC: a canned query's name, a .rq file, or SPARQL text."""
    values = {}
    for item in params:
        name, eq, value = item.partition("=")
        if not eq or not name:
            _fail(f"--param takes NAME=VALUE, not {item!r}", 2)
        values[name.lstrip("?$")] = value
    try:
        store = _open(store_spec, data)
        q = queries_mod.get(spec)
        result = Result.of(queries_mod.execute(store, q.text, queries_mod.bind(store, q, values)))
    except QueryError as exc:
        _fail(str(exc), 2)
    except StoreError as exc:
        _fail(str(exc))
    except DataError as exc:
        _report(exc.problems)
        _fail(f"{data}/ has errors")
    click.echo(result.format(fmt))


@main.command("queries")
def list_queries() -> None:
    """List the canned queries and their parameters."""
    for name, q in queries_mod.canned().items():
        click.echo(f"{name}: {q.title}")
        for p in q.params:
            need = "required" if p.required else "optional"
            click.echo(f"    --param {p.name}=...  ({p.type}, {need}) {p.description}")
