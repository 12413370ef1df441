"""A synthetic corpus in the ``data/`` format, for benchmarks and for testing at scale.

Reproducible from a seed. Agencies and sectors are the real registries; agency popularity is
Zipf-like, most policies have one to three issuers and a few up to twelve, and each policy has
English and Chinese titles (the Chinese one naming its lead and declared count, as real titles
do), one to three sectors, sometimes a company and up to two targets.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import yaml

from policygraph.records.load import Data, load
from policygraph.records.models import (
    Agency,
    Brief,
    Company,
    Item,
    Policy,
    Sector,
    SourceFile,
    Target,
)

ISSUER_COUNTS = list(range(1, 13))
ISSUER_WEIGHTS = [45, 25, 12, 5, 3, 2.5, 2, 1.5, 1.2, 1, 0.9, 0.9]
TYPES = {"plan": "方案", "action-plan": "行动计划", "notice": "通知", "guideline": "指引",
         "opinion": "意见", "measures": "办法", "list": "名单"}  # fmt: skip
METRICS = [("enterprises covered", "enterprises"), ("pilot projects", "projects"),
           ("standards issued", "standards"), ("people trained", "people"),
           ("share of firms digitalised", "percent")]  # fmt: skip
PER_FILE = 10_000
PER_ITEM = 10
CN_DIGITS = "零一二三四五六七八九"


def chinese_count(n: int) -> str:
    """12 → 十二, 2 → 两: how titles write a number of bodies."""
    if n == 2:
        return "两"
    if n < 10:
        return CN_DIGITS[n]
    return "十" + (CN_DIGITS[n - 10] if n > 10 else "")


def _zipf(items: list, rng: random.Random, s: float = 1.1) -> list[float]:
    order = list(range(len(items)))
    rng.shuffle(order)
    weights = [0.0] * len(items)
    for rank, i in enumerate(order, start=1):
        weights[i] = 1 / rank**s
    return weights


def _distinct(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    chosen: list = []
    while len(chosen) < k:
        for pick in rng.choices(items, weights, k=k):
            if pick not in chosen:
                chosen.append(pick)
                if len(chosen) == k:
                    break
    return chosen


def companies(n: int, rng: random.Random) -> list[Company]:
    return [Company.model_construct(id=f"synth-firm-{i}", name_en=f"Synthetic Firm {i}",
                                    name_zh=None, aliases=[], parent=None, wikidata=None)
            for i in range(n)]  # fmt: skip


def policies(n: int, seed: int, agencies: list[Agency], sectors: list[Sector],
             firms: list[Company], skew: float = 1.1) -> Iterator[tuple[int, Policy]]:  # fmt: skip
    """``n`` policies (with the file number each belongs to), resolved: issuers are agency ids
    drawn with Zipf exponent ``skew``."""
    rng = random.Random(seed)
    live = [a for a in agencies if a.dissolved is None]
    agency_w, sector_w = _zipf(live, rng, skew), _zipf(sectors, rng)
    start = dt.date(2000, 1, 1).toordinal()
    for i in range(n):
        k = rng.choices(ISSUER_COUNTS, ISSUER_WEIGHTS)[0]
        issuers = _distinct(rng, live, agency_w, min(k, len(live)))
        topics = _distinct(rng, sectors, sector_w, rng.choice((1, 1, 2, 3)))
        issued = dt.date.fromordinal(start + rng.randrange(26 * 365))
        kind = rng.choice(list(TYPES))
        lead, topic = issuers[0], topics[0]
        counted = f"等{chinese_count(k)}部门" if k > 1 else ""
        title_zh = (
            f"{lead.name_zh}{counted}关于印发《{topic.label_zh}{TYPES[kind]}（第{i}号）》的通知"
        )
        targets = [
            Target.model_construct(
                metric=m,
                value=Decimal(rng.randrange(10, 100_000)),
                unit=u,
                comparator=">=",
                deadline=issued.year + rng.randrange(1, 6),
                period_start=None,
                period_end=None,
            )  # fmt: skip
            for m, u in rng.sample(METRICS, rng.choice((0, 0, 1, 2)))
        ]
        yield i // PER_FILE, Policy.model_construct(
            id=f"synth-{i}", item=f"item-{(i % PER_FILE) // PER_ITEM}",
            title_en=f"{kind.replace('-', ' ').title()} on {topic.label_en.lower()} no. {i}",
            title_zh=title_zh, type=kind, issued=issued, issuers=[a.id for a in issuers],
            declared_issuer_count=k if k > 1 else None, in_force=None,
            official_url=f"https://example.gov.cn/policy/{i}.html", links=[],
            sectors=[s.id for s in topics],
            companies=[rng.choice(firms).id] if firms and rng.random() < 0.2 else [],
            summary=None, targets=targets, figures=[],
        )  # fmt: skip


def items(count: int) -> list[Item]:
    return [Item.model_construct(id=f"item-{j}", section="policy-news", position=j + 1,
                                 label=f"Synthetic item {j + 1}", links=[])
            for j in range((count + PER_ITEM - 1) // PER_ITEM)]  # fmt: skip


def agencies(n: int) -> list[Agency]:
    """``n`` made-up agencies, for networks bigger than the real registry allows."""
    return [Agency.model_construct(id=f"synth-agency-{i}", acronym=f"SA{i}",
                                   name_en=f"Synthetic Agency {i}", name_zh=f"合成机构{i}",
                                   aliases=[], kind="ministry", parent=None, wikidata=None,
                                   dissolved=None, successors=[])
            for i in range(n)]  # fmt: skip


def dataset(
    n: int, seed: int = 1, registry: Path | str = "data", bodies: int | None = None
) -> Data:
    """A synthetic corpus of ``n`` policies in memory, already resolved: ready for ``graph``.

    With ``bodies``, the issuers are that many made-up agencies instead of the registry's,
    with a flatter popularity, so that most of them issue something.
    """
    real = load(registry)
    firms = companies(max(10, n // 500), random.Random(seed))
    issuers = real.agencies if bodies is None else agencies(bodies)
    data = Data(root=Path(registry), agencies=issuers, sectors=real.sectors, companies=firms)
    by_file: dict[int, list[Policy]] = {}
    skew = 1.1 if bodies is None else 0.5
    for number, policy in policies(n, seed, issuers, real.sectors, firms, skew):
        by_file.setdefault(number, []).append(policy)
    for number, rows in by_file.items():
        brief = Brief(id=f"synth-{seed}-{number:04d}", title=f"Synthetic corpus, part {number}",
                      publisher="policygraph synth", period="2025-01")  # fmt: skip
        data.sources[f"synth-{seed}-{number:04d}.yaml"] = SourceFile.model_construct(
            source=brief, items=items(len(rows)), policies=rows, events=[]
        )
    return data


def _as_json(doc: dict) -> str:
    """JSON (which is YAML too, and reads far faster), one policy a line so diffs stay readable."""
    head = json.dumps({k: v for k, v in doc.items() if k != "policies"}, ensure_ascii=False)
    rows = ",\n".join(json.dumps(p, ensure_ascii=False) for p in doc["policies"])
    return head[:-1] + ',\n"policies": [\n' + rows + "\n]}\n"


def write(out: Path | str, n: int, seed: int = 1, registry: Path | str = "data") -> Path:
    """Write a synthetic ``data/`` folder of ``n`` policies to ``out``: what :func:`dataset`
    makes, with issuers and companies written by name as people write them."""
    out = Path(out)
    data = dataset(n, seed, registry)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for name, records in (("agencies", data.agencies), ("sectors", data.sectors)):
        rows = [r.model_dump(exclude_none=True, exclude_defaults=True) for r in records]
        (out / f"{name}.yaml").write_text(yaml.dump({name: rows}, Dumper=dumper, allow_unicode=True,
                                                    sort_keys=False), encoding="utf-8")  # fmt: skip
    rows = [{"id": c.id, "name_en": c.name_en} for c in data.companies]
    (out / "companies.yaml").write_text(
        yaml.dump({"companies": rows}, Dumper=dumper), encoding="utf-8"
    )
    acronym = {a.id: a.acronym for a in data.agencies}
    firm = {c.id: c.name_en for c in data.companies}
    for name, source in data.sources.items():
        rows = []
        for p in source.policies:
            row = p.model_dump(exclude_none=True, exclude_defaults=True, mode="json")
            row["issuers"] = [acronym[a] for a in p.issuers]
            if p.companies:
                row["companies"] = [firm[c] for c in p.companies]
            rows.append(row)
        doc = {"source": source.source.model_dump(exclude_none=True),
               "items": [i.model_dump(exclude_defaults=True) for i in source.items],
               "policies": rows}  # fmt: skip
        (out / "sources" / name).write_text(_as_json(doc), encoding="utf-8")
    return out
