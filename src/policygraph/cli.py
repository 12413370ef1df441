"""The ``policygraph`` command: short commands over the library."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from pathlib import Path

import click

from policygraph.backends import default_store, home_path, open_backend
from policygraph.backends import queries as queries_mod
from policygraph.backends.export import FORMATS, export, format_for, replace_atomically
from policygraph.backends.push import ENGINES
from policygraph.backends.results import FORMATS as RESULT_FORMATS
from policygraph.errors import IngestError, QueryError, StoreError
from policygraph.graph.validate import check
from policygraph.ingest.intake import MB, Limits
from policygraph.problems import DataError, Problem
from policygraph.testhook import pause


def _in_home(name: str):
    """An option's default: ``name`` in the checkout found from here upward (or $POLICYGRAPH_HOME)."""

    def default(ctx, param, value):
        if value is not None:
            return value
        try:
            return str(home_path(name))
        except StoreError as exc:
            raise click.UsageError(str(exc)) from exc

    return default


DATA = click.option("--data", "data", default=None, callback=_in_home("data"),
                    type=click.Path(file_okay=False),
                    help="The folder of YAML registries and sources. Default: data/ of the "
                         "checkout found from here upward, or of $POLICYGRAPH_HOME.")  # fmt: skip
STORE = click.option("--store", "store_spec", default=None,
                     help="'memory' (build from --data), an on-disk store folder, or the URL of a "
                          "SPARQL 1.1 query endpoint. Default: $POLICYGRAPH_STORE, else the "
                          "checkout's out/store if built, else memory.")  # fmt: skip


def _report(problems: list[Problem], *, show_notes: bool = False) -> None:
    for p in problems:
        if p.severity != "note" or show_notes:
            click.echo(str(p), err=True)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"policygraph: {message}", err=True)
    sys.exit(code)


def _interruptible(work):
    """``work()``, run in a worker thread so that Ctrl-C stops the command at once: the store
    releases Python while it evaluates a query, and this thread waits where Ctrl-C reaches it."""
    done: dict = {}

    def run() -> None:
        try:
            pause("query")
            done["value"] = work()
        except BaseException as exc:  # handed to the waiting thread, which raises it
            done["error"] = exc

    worker = threading.Thread(target=run, name="policygraph-query", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        _fail("interrupted: the query was stopped, nothing written", 130)
    if "error" in done:
        raise done["error"]
    return done["value"]


@contextlib.contextmanager
def _reported(data: str, after: str = ""):
    """Turn the library's errors into a clear message and an exit code (2 for query errors)."""
    try:
        yield
    except DataError as exc:
        _report(exc.problems)
        _fail(f"{data}/ has errors{after}")
    except QueryError as exc:
        _fail(str(exc), 2)
    except (StoreError, ValueError) as exc:
        _fail(str(exc))


def _open(store_spec: str | None, data: str):
    """The backend a reading command works on, with the library's note shown if any."""
    backend, note = open_backend(store_spec, data)
    if note:
        click.echo(f"policygraph: {note}", err=True)
    return backend


@click.group()
@click.version_option(package_name="policygraph")
def main() -> None:
    """A knowledge graph of Chinese technology and industrial policy."""


@main.command()
@DATA
@click.option("--out", default=None, callback=_in_home("out"), type=click.Path(file_okay=False),
              help="Where the exports and the on-disk store go. Default: out/ of the checkout "
                   "found from here upward, or of $POLICYGRAPH_HOME.")  # fmt: skip
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation (faster on large corpora).")
@click.option("--full", is_flag=True, help="Rebuild everything, even what has not changed.")
def build(data: str, out: str, no_shacl: bool, full: bool) -> None:
    """Validate data/, build the graph and write out/: exports, store and summary.

    Only source files that changed since the last build are reloaded.
    """
    from policygraph.build import build as build_graph
    from policygraph.outfolder import locked
    from policygraph.site import FOLDER
    from policygraph.views import INDEX

    if not Path(data).is_dir():
        _fail(f"no data/ folder at {data}: run `policygraph build` in your checkout, "
              "or pass --data / set POLICYGRAPH_HOME")  # fmt: skip
    site_index = Path(out) / FOLDER / "index.html"
    with _reported(data, f"; {out}/ was left as it was"), locked(Path(out)):
        built = build_graph(data, out, shacl=not no_shacl, incremental=not full)
        try:
            if built.mode != "unchanged" or not (Path(out) / INDEX).exists():
                from policygraph.views.render import write

                (Path(out) / INDEX).unlink(missing_ok=True)  # back (last) once all views are
                write(built.tables or built.store, out)
            if built.mode != "unchanged" or not site_index.exists():
                from policygraph.site.write import write as write_site

                site_index.unlink(missing_ok=True)  # back once the new site is in place
                write_site(built.store, out)
        except OSError as exc:
            _fail(f"cannot write the views or the explorer into {out}/: {exc.strerror or exc}; "
                  "the graph was built, and the next build writes them")  # fmt: skip
        built.files["views"] = Path(out) / INDEX
        built.files["explorer"] = Path(out) / FOLDER
    _report(built.problems)
    click.echo(built.summary.rstrip("\n"))
    if built.mode == "unchanged":
        click.echo(f"{out}/ is up to date with {data}/: nothing was reloaded")
        return
    reloaded = ", ".join(built.reloaded) if built.mode == "incremental" else "all sources"
    click.echo(f"Reloaded {reloaded}. Wrote {built.triples} triples to {out}/:")
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
    with _reported(data):
        fmt = fmt or format_for(output)
        path = export(_open(store_spec, data), output, fmt)
    click.echo(f"Wrote {path} ({fmt}, {path.stat().st_size:,} bytes)")


@main.command()
@click.argument("url")
@click.option("--engine", type=click.Choice(sorted(ENGINES)), default="oxigraph", show_default=True,
              help="Where the server keeps its update and Graph Store endpoints under URL.")  # fmt: skip
@DATA
@STORE
def push(url: str, engine: str, data: str, store_spec: str | None) -> None:
    """Load the graph into the SPARQL 1.1 store at URL, one named graph per source.

    Re-pushing replaces those graphs and drops those of sources that are gone, and what a
    failed push left; a failing server keeps the data it had.
    """
    from policygraph.backends.push import push_backend

    with _reported(data):
        pushed = push_backend(_open(store_spec, data), url, engine=engine)
    loaded = pushed.graphs
    if pushed.leftovers:
        click.echo(f"Dropped {len(pushed.leftovers)} staging graphs that a failed push left")
    for name, count in loaded.items():
        click.echo(f"  {name}: {count} triples")
    for name in pushed.removed:
        click.echo(f"  {name}: removed (no longer in the graph)")
    click.echo(f"Pushed {len(loaded)} named graphs ({sum(loaded.values())} triples) to {url}")


@main.command()
@click.argument("spec")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter, bound as an RDF term. Repeatable.")  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(RESULT_FORMATS), default="table", show_default=True
)
@click.option("--limit", type=click.IntRange(min=1), help="Show only the first N rows.")
@DATA
@STORE
def query(spec: str, params: tuple[str, ...], fmt: str, limit: int | None, data: str,
          store_spec: str | None) -> None:  # fmt: skip
    """Run SPEC: a canned query's name, a .rq file, or SPARQL text."""
    values = {}
    for item in params:
        name, eq, value = item.partition("=")
        if not eq or not name:
            _fail(f"--param takes NAME=VALUE, not {item!r}", 2)
        values[name.lstrip("?$")] = value
    with _reported(data):
        backend = _open(store_spec, data)
        result = _interruptible(lambda: queries_mod.run(backend, spec, values))
    click.echo((result.head(limit) if limit else result).format(fmt))


@main.command()
@click.option("--store", "store_folder", default=None, type=click.Path(file_okay=False),
              help="The on-disk store to serve. Default: $POLICYGRAPH_STORE, else the "
                   "checkout's out/store.")  # fmt: skip
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen on this address.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--timeout", default=10.0, show_default=True, help="Seconds a query may run.")
@click.option("--max-result", default=100_000_000, show_default=True, type=click.IntRange(1),
              help="Bytes an answer may take; a longer one is cut off.")  # fmt: skip
@click.option("--max-running", type=click.IntRange(1), default=None,
              help="Queries that may run at once (others wait up to --timeout for their turn); "
                   "ad-hoc queries get at most half. Default: twice the cores.")  # fmt: skip
def serve(store_folder: str | None, host: str, port: int, timeout: float, max_result: int,
          max_running: int | None) -> None:  # fmt: skip
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page."""
    from policygraph.serve.front import serve as start

    # before the engine starts: a SIGTERM from then on unwinds and stops it
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with _reported(store_folder or "out/store"):
        store_folder = store_folder or default_store()
        front = start(store_folder, host, port, timeout, max_result, max_running)
    click.echo(f"Serving {store_folder} read-only at http://{host}:{port}/ (SPARQL at /query); "
               "Ctrl-C stops")  # fmt: skip
    try:
        front.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        front.engine.stop()


@main.command("views")
@DATA
@STORE
@click.option("--out", default=None, callback=_in_home("out"), type=click.Path(file_okay=False),
              help="Writes OUT/views/, OUT/networks/ and OUT/index.html; filtered, "
                   "OUT/views-FROM_TO/ and the like, beside them. Default: the checkout's out/.")  # fmt: skip
@click.option("--from", "start", metavar="DATE", help="Only policies and events from this date.")
@click.option("--to", "end", metavar="DATE", help="Only policies and events up to this date.")
@click.option("--sector", metavar="SECTOR", help="Only policies and events in this sector.")
@click.option("--offices", is_flag=True,
              help="Keep offices and departments apart from their ministry (default: rolled up).")  # fmt: skip
@click.option("--whole", is_flag=True,
              help="Large (WebGL) views hold every node and edge, not only what some year's "
                   "heaviest edges reach; their 'Every edge' box draws them all. Written beside "
                   "the default views (OUT/views-whole/).")  # fmt: skip
def views_(data: str, store_spec: str | None, out: str, start: str | None, end: str | None,
           sector: str | None, offices: bool, whole: bool) -> None:  # fmt: skip
    """Write the network views (HTML), with GraphML, GEXF and CSV files of each network.

    A filtered output is written beside the whole record's, never over it: its folders, index
    and page titles carry the filter."""
    from policygraph.networks.tables import Tables
    from policygraph.views.render import suffix, write

    mark = suffix(start, end, sector, offices, whole)
    with _reported(data):
        tables = Tables.of(_open(store_spec, data))
        keep = tables.select(start, end, sector) if start or end or sector else None
        subtitle = ", ".join(filter(None, [
            f"{start or '…'} to {end or '…'}" if start or end else "",
            f"sector {sector}" if sector else "", "offices apart" if offices else "",
            "whole" if whole else ""]))  # fmt: skip
        written = write(tables, out, keep, rollup=not offices, mark=mark, subtitle=subtitle,
                        prune=False if whole else None)  # fmt: skip
    for name, view in written.items():
        g = view.graph
        click.echo(f"  {out}/views{mark}/{name}.html  ({g.number_of_nodes()} nodes, "
                   f"{g.number_of_edges()} edges, {view.renderer}; .graphml .gexf .csv in "
                   f"{out}/networks{mark}/)")  # fmt: skip
    click.echo(f"Open {out}/index{mark}.html")


@main.command("site")
@DATA
@STORE
@click.option("--out", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Writes OUT/site/.")  # fmt: skip
def site_(data: str, store_spec: str | None, out: str) -> None:
    """Write the explorer: an offline site of agency, policy, sector, subject and company pages."""
    from policygraph.site.write import write

    with _reported(data):
        try:
            written = write(_open(store_spec, data), out)
        except OSError as exc:
            _fail(f"cannot write the explorer into {out}/: {exc.strerror or exc}")
    click.echo(f"Wrote {written.files:,} files ({written.bytes / 1e6:.1f} MB) to {written.folder}/ "
               f"in {written.seconds:.1f} s. Open {written.folder}/index.html")  # fmt: skip


_LIMIT = Limits()
MAX_SIZE = click.option("--max-size", type=click.IntRange(min=1), default=_LIMIT.max_bytes // MB,
                        show_default=True, help="Refuse an input file larger than this many MB.")  # fmt: skip


def _limits(max_size: int, **given) -> Limits:
    """The limits the options give, the rest at their defaults."""
    return Limits(max_bytes=max_size * MB, **given)


def _registry(data: str):
    """The registries of ``data`` (no sources), indexed for resolving names."""
    from policygraph.records.load import load
    from policygraph.records.registry import Registry

    return Registry(load(data, only=set()))


FORCE = click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists (a reviewed file "
                     "loses its edits).")  # fmt: skip


def _refuse_overwrite(output: str, force: bool) -> None:
    """A draft never replaces an existing file (perhaps reviewed) unless asked to."""
    if Path(output).exists() and not force:
        _fail(f"{output} exists (reviewed edits would be lost): give --force to overwrite it, "
              "or another -o; nothing was written")  # fmt: skip


def _write_draft(draft, output: str, origin: str, command: str = "ingest") -> None:
    from policygraph.ingest.drafts import to_yaml

    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(target, lambda tmp: tmp.write_text(to_yaml(draft, origin, command), "utf-8"))
    for note in draft.notes:
        click.echo(f"{output}: review: {note}", err=True)
    targets = sum(len(r.get("targets", [])) for r in [*draft.policies, *draft.events])
    click.echo(f"Wrote {output}: {len(draft.items)} items, {len(draft.policies)} policies, "
               f"{len(draft.events)} events, {targets} targets; {len(draft.notes)} notes for review")  # fmt: skip
    click.echo("It is a draft: build leaves it out until you check it and set review: reviewed")


@main.command("ingest")
@click.argument("brief", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The draft to write, e.g. data/sources/merics-2024-03.yaml.")  # fmt: skip
@MAX_SIZE
@click.option("--max-line", type=click.IntRange(min=1), default=_LIMIT.max_line, show_default=True,
              help="Refuse a brief with a line longer than this many characters.")  # fmt: skip
@DATA
@FORCE
def ingest_(brief: str, output: str, max_size: int, max_line: int, data: str, force: bool) -> None:
    """Read a brief (.txt or .pdf) into a draft source file, with notes for review.

    The draft says ``review: draft``: build leaves it out until a person sets ``review: reviewed``.
    """
    from policygraph.ingest.briefs import ingest
    from policygraph.ingest.intake import read_text

    _refuse_overwrite(output, force)
    with _reported(data):
        try:
            text = read_text(brief, limits=_limits(max_size, max_line=max_line))
        except IngestError as exc:
            _fail(f"{exc}; nothing was written")
        draft = ingest(text, Path(output).stem, _registry(data))
    _write_draft(draft, output, brief)


@main.command("ingest-table")
@click.argument("table", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The draft to write, e.g. data/sources/miit-2023.yaml.")  # fmt: skip
@click.option("--title-col", help="Column of Chinese titles (default: title_zh, title, 标题, …).")
@click.option("--date-col", help="Column of dates (default: date, 发布日期, 成文日期, …).")
@click.option("--number-col", help="Column of document numbers such as 国办发〔2023〕12号.")
@click.option("--url-col", help="Column of links to the official text.")
@click.option("--issuers-col", help="Column of issuing bodies (else read from the titles).")
@click.option("--title-en-col", help="Column of English titles, where there is one.")
@click.option("--sheet", help="The sheet of an .xlsx workbook (default: the first).")
@click.option("--max-rows", type=click.IntRange(min=1), default=_LIMIT.max_rows, show_default=True,
              help="Refuse a table of more rows.")  # fmt: skip
@click.option("--max-cell", type=click.IntRange(min=1), default=_LIMIT.max_cell, show_default=True,
              help="Refuse a table with a cell of more characters.")  # fmt: skip
@click.option("--max-unzipped", type=click.IntRange(min=1), default=_LIMIT.max_unzipped // MB,
              show_default=True, help="Refuse an .xlsx that unzips to more MB (a zip bomb).")  # fmt: skip
@MAX_SIZE
@DATA
@FORCE
def ingest_table_(table: str, output: str, title_col, date_col, number_col, url_col,
                  issuers_col, title_en_col, sheet, max_rows: int, max_cell: int,
                  max_unzipped: int, max_size: int, data: str, force: bool) -> None:  # fmt: skip
    """Read a table of official documents (.csv, .tsv or .xlsx) into a draft source file."""
    from policygraph.ingest.doclist import columns, ingest_table
    from policygraph.ingest.intake import read_rows

    _refuse_overwrite(output, force)
    chosen = {"title": title_col, "date": date_col, "number": number_col, "url": url_col,
              "issuers": issuers_col, "title_en": title_en_col}  # fmt: skip
    with _reported(data):
        try:
            limits = _limits(max_size, max_rows=max_rows, max_cell=max_cell,
                             max_unzipped=max_unzipped * MB)  # fmt: skip
            rows = read_rows(table, sheet, limits=limits)
            cols = columns(list(rows[0]), chosen)
        except (IngestError, KeyError) as exc:
            _fail(f"{exc.args[0]}; nothing was written")
        draft = ingest_table(rows, cols, _registry(data), Path(output).stem, Path(table).name)
    _write_draft(draft, output, table, "ingest-table")


@main.command()
@click.option(
    "--policies", "n", type=click.IntRange(min=1), required=True, help="How many policies."
)
@click.option("--seed", default=1, show_default=True, help="The same seed gives the same corpus.")
@click.option("-o", "--out", default="synth-data", show_default=True, type=click.Path(file_okay=False),
              help="The data/ folder to write.")  # fmt: skip
@DATA
def synth(n: int, seed: int, out: str, data: str) -> None:
    """Write a reproducible synthetic corpus in the data/ format (registries from --data)."""
    from policygraph.synth import write

    with _reported(data):
        path = write(out, n, seed, registry=data)
    click.echo(f"Wrote {n} synthetic policies to {path}/ (build it with --data {path})")


@main.command("queries")
def list_queries() -> None:
    """List the canned queries and their parameters."""
    for name, q in queries_mod.canned().items():
        click.echo(f"{name}: {q.title}")
        for p in q.params:
            need = "required" if p.required else "optional"
            click.echo(f"    --param {p.name}=...  ({p.type}, {need}) {p.description}")
