"""The explorer's search index: one compact JavaScript file loaded by ``<script src>``.

A page opened from ``file://`` may not ``fetch()`` a JSON file, but it may run a script beside
it, so the index is a script that assigns ``window.PG_SEARCH``. Each entry is
``[kind, slug, label, detail, other names…]``; the page normalises the names once on load and
scans them on each keystroke (about 6,000 entries on the real record).
"""

from __future__ import annotations

import json

from policygraph.site.data import SiteData

#: the order kinds are listed in among results that match equally well
KIND_ORDER = ("agency", "subject", "sector", "company", "policy", "event")


def entries(site: SiteData, documents: dict[str, int]) -> list[list]:
    """One entry per node and record; ``documents`` gives each node's number of documents."""
    found = []
    for n in site.nodes.values():
        detail = " · ".join(x for x in (n.acronym, n.zh if n.en else "") if x)
        count = documents.get(n.iri, 0)
        detail = f"{detail} · {count} documents" if detail else f"{count} documents"
        names = [x for x in (n.acronym, n.zh, *n.aliases) if x and x != n.name]
        found.append([KIND_ORDER.index(n.kind), n.slug, n.name, detail, *names])
    for r in sorted(site.records.values(), key=lambda r: (r.date, r.slug), reverse=True):
        detail = " · ".join(x for x in (r.date, r.number) if x)
        names = [x for x in (r.en, r.number) if x and x != r.title]
        found.append([KIND_ORDER.index(r.kind), r.slug, r.title, detail, *names])
    return found


def script(site: SiteData, documents: dict[str, int]) -> str:
    """The index as a script. JSON escapes ``<`` too, so no text can end the script early."""
    data = {"kinds": KIND_ORDER, "entries": entries(site, documents)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.PG_SEARCH = {text};\n"
