"""What the networks are made of, as sparse incidence matrices: fetched by query, or read back
from the copy a build writes beside its store.

Four hidden queries (``_records``, ``_nodes``, ``_issuance``, ``_links``) give every policy and
event, every agency, sector and company, and who issued or concerns what. They run on any
store, so the networks are the same on a remote endpoint. A build saves the result as
``networks.npz`` inside the store's folder, written before the store is marked complete, so a
copy is read only with the store it was made from: at 1M policies that turns a minute of
querying into a fraction of a second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from policygraph.backends.queries import run
from policygraph.errors import QueryError
from policygraph.records.kinds import node_kinds

FILE = "networks.npz"
VERSION = 2  # of the saved copy: 2 added the agencies' kinds and parents; an older copy is not read
KINDS = tuple(k.name for k in node_kinds())
#: what each record row keeps for the views' listings
META = ("en", "zh", "official", "link", "brief", "briefUrl")
#: what each node keeps: names, an agency's kind, and its parent (office → ministry, sector → broader)
NODE_FIELDS = ("notation", "en", "zh", "agencyKind", "parent")
#: agencies of these kinds count as their parent when offices are rolled up (queries/co-issuers.rq)
ROLLED_UP = ("office", "department")


def _value(term) -> str | None:
    return None if term is None else term.value


def _matrix(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """A 0/1 matrix with a one wherever (row, col) occurs, however often it occurs."""
    m = sparse.csr_matrix((np.ones(len(rows), np.int32), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1
    return m


def _blob(doc: dict) -> np.ndarray:
    return np.frombuffer(json.dumps(doc, ensure_ascii=False).encode(), np.uint8)


def _day(text: str, what: str) -> int:
    """An ISO date as days since 1970."""
    try:
        return (dt.date.fromisoformat(text) - dt.date(1970, 1, 1)).days
    except ValueError:
        raise QueryError(f"--{what} {text!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class Tables:
    """Records (policies and events) by columns, and their links as 0/1 matrices.

    ``issued``, ``led``: records × agencies; ``sectors``: records × sectors; ``companies``:
    records × companies. ``dates`` holds days since 1970 (-1 where unknown).
    """

    is_policy: np.ndarray
    dates: np.ndarray
    nodes: dict[str, list[str]]  # kind → IRIs, the columns of that kind's matrix
    labels: dict[str, dict]  # IRI → {kind, notation, en, zh, agencyKind, parent}
    issued: sparse.csr_matrix
    led: sparse.csr_matrix
    sectors: sparse.csr_matrix
    companies: sparse.csr_matrix
    _records: list[str] | None = None
    _meta: list[dict] | None = None
    _later: Callable[[], dict] | None = field(default=None, repr=False)

    @property
    def records(self) -> list[str]:
        """The IRI of each record row (read from a saved copy only when first asked for)."""
        self._fill()
        return self._records  # type: ignore[return-value]

    @property
    def meta(self) -> list[dict]:
        """Each record's titles and links, for the views' listings."""
        self._fill()
        return self._meta  # type: ignore[return-value]

    def _fill(self) -> None:
        if self._records is None and self._later is not None:
            text = self._later()
            self._records, self._meta = text["records"], text["meta"]

    @classmethod
    def of(cls, backend) -> Tables:
        """The tables of ``backend``: read from its build's copy when there is one."""
        if backend.folder is not None and (backend.folder / FILE).exists():
            with np.load(backend.folder / FILE) as z:
                current = "version" in z and int(z["version"]) == VERSION
            if current:
                return cls.load(backend.folder / FILE)
        return cls.query(backend)

    @classmethod
    def query(cls, backend) -> Tables:
        """Ask ``backend`` for everything the networks need."""
        index: dict[str, int] = {}
        meta, policy, dates = [], [], []
        for row in run(backend, "_records").rows:
            iri = row[0].value
            if iri in index:
                continue
            index[iri] = len(index)
            policy.append(row[1].value == "policy")
            date = _value(row[2])
            dates.append(np.datetime64(date[:10], "D").astype(np.int64) if date else -1)
            meta.append(dict(zip(META, map(_value, row[3:]), strict=True)))
        labels: dict[str, dict] = {}
        for row in run(backend, "_nodes").rows:
            iri, kind = row[0].value, row[1].value
            if iri not in labels:
                names = zip(NODE_FIELDS, map(_value, row[2:]), strict=True)
                labels[iri] = {"kind": kind, **dict(names)}
        nodes = {k: sorted(i for i, d in labels.items() if d["kind"] == k) for k in KINDS}
        columns = {k: {iri: n for n, iri in enumerate(nodes[k])} for k in KINDS}
        pairs: dict[str, tuple[list, list]] = {"issued": ([], []), "led": ([], [])}
        pairs.update({k: ([], []) for k in ("sector", "company")})
        for rec, agency, lead in run(backend, "_issuance").rows:
            r, a = index[rec.value], columns["agency"].get(agency.value)
            if a is None:
                continue  # an issuer the registries do not declare: SHACL reports it
            for name in ("issued", "led") if lead.value == "true" else ("issued",):
                pairs[name][0].append(r)
                pairs[name][1].append(a)
        for rec, node in run(backend, "_links").rows:
            kind = labels.get(node.value, {}).get("kind")
            if kind in ("sector", "company"):
                pairs[kind][0].append(index[rec.value])
                pairs[kind][1].append(columns[kind][node.value])
        n = len(index)

        def matrix(name: str, kind: str) -> sparse.csr_matrix:
            rows, cols = (np.asarray(x, np.int64) for x in pairs[name])
            return _matrix(rows, cols, (n, len(nodes[kind])))

        return cls(
            is_policy=np.asarray(policy, bool),
            dates=np.asarray(dates, np.int64),
            nodes=nodes,
            labels=labels,
            issued=matrix("issued", "agency"),
            led=matrix("led", "agency"),
            sectors=matrix("sector", "sector"),
            companies=matrix("company", "company"),
            _records=list(index),
            _meta=meta,
        )

    def save(self, path: Path | str) -> Path:
        """Write the tables to ``path`` (a ``.npz``); the text parts as JSON, the records'
        apart from the nodes' so that the networks can be computed without reading them."""
        arrays = {"is_policy": self.is_policy, "dates": self.dates, "version": np.int64(VERSION)}
        for name in ("issued", "led", "sectors", "companies"):
            m = getattr(self, name)
            arrays[f"{name}_indptr"], arrays[f"{name}_indices"] = m.indptr, m.indices
        arrays["nodes"] = _blob({"nodes": self.nodes, "labels": self.labels})
        arrays["records"] = _blob({"records": self.records, "meta": self.meta})
        with open(path, "wb") as f:
            np.savez(f, **arrays)
        return Path(path)

    @classmethod
    def load(cls, path: Path | str) -> Tables:
        """Read what :meth:`save` wrote; the records' text is read when first needed."""
        with np.load(path) as z:
            text = json.loads(z["nodes"].tobytes())
            n = len(z["dates"])

            def matrix(name: str, kind: str) -> sparse.csr_matrix:
                indices = z[f"{name}_indices"]
                data = np.ones(len(indices), np.int32)
                shape = (n, len(text["nodes"][kind]))
                return sparse.csr_matrix((data, indices, z[f"{name}_indptr"]), shape=shape)

            def later() -> dict:
                with np.load(path) as again:
                    return json.loads(again["records"].tobytes())

            return cls(
                is_policy=z["is_policy"],
                dates=z["dates"],
                nodes=text["nodes"],
                labels=text["labels"],
                issued=matrix("issued", "agency"),
                led=matrix("led", "agency"),
                sectors=matrix("sectors", "sector"),
                companies=matrix("companies", "company"),
                _later=later,
            )

    def rolled_up(self) -> Tables:
        """These tables with each office or department counted as its parent agency, one level
        up, as the canned ``co-issuers`` query counts them: a policy of MIIT's General Office
        and MIIT has one issuer, MIIT. The offices' columns stay, empty."""
        columns = {iri: n for n, iri in enumerate(self.nodes["agency"])}
        target = np.arange(len(columns))
        for n, iri in enumerate(self.nodes["agency"]):
            d = self.labels[iri]
            if d.get("agencyKind") in ROLLED_UP and d.get("parent") in columns:
                target[n] = columns[d["parent"]]
        if (target == np.arange(len(columns))).all():
            return self
        up = sparse.csr_matrix((np.ones(len(target), np.int32), (np.arange(len(target)), target)),
                               shape=(len(target), len(target)))  # fmt: skip

        def fold(m: sparse.csr_matrix) -> sparse.csr_matrix:
            out = (m @ up).tocsr()
            out.data[:] = 1
            return out

        return dataclasses.replace(self, issued=fold(self.issued), led=fold(self.led))

    def select(
        self, start: str | None = None, end: str | None = None, sector: str | None = None
    ) -> np.ndarray:
        """Which records fall in [``start``, ``end``] (ISO dates) and concern ``sector``
        (IRI, id or English label, sub-sectors not included)."""
        keep = np.ones(len(self.dates), bool)
        if start:
            keep &= self.dates >= _day(start, "from")
        if end:
            keep &= (self.dates >= 0) & (self.dates <= _day(end, "to"))
        if sector:
            column = self.column("sector", sector)
            keep &= self.sectors[:, column].toarray().ravel() > 0
        return keep

    def column(self, kind: str, name: str) -> int:
        """The column of the ``kind`` node named ``name`` (IRI, id, acronym or label)."""
        for n, iri in enumerate(self.nodes[kind]):
            d = self.labels[iri]
            if name in (iri, iri.rsplit("/", 1)[-1], d.get("notation"), d.get("en"), d.get("zh")):
                return n
        raise QueryError(f"no {kind} called {name!r} in this graph")
