"""The campaign's attack classes (benchmarks/campaign.py): each takes a fresh folder and returns
``(attack, verdict, note)`` triples, verdict one of handled, lost data, reachable, failed."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import DATA, Paused
from test_build_safety import outputs, stored, trig  # what a build left, as the tests read it

ROOT = Path(__file__).resolve().parents[1]
EXE = Path(sys.executable).with_name("policygraph")
COMMAND = [str(EXE)] if EXE.exists() else [sys.executable, "-m", "policygraph"]
SECOND = """\
source: {id: second-brief, title: A second brief, publisher: policygraph tests, period: 2024-03}
items:
  - {id: item-1, section: policy-news, position: 1, label: A test policy}
policies:
  - {id: test-policy-one, item: item-1, title_en: TITLE, type: notice,
     issued: 2024-03-01, issuers: [MIIT, NDRC], sectors: [manufacturing]}
"""


def run(*args, env=None, timeout=120, cwd=None) -> subprocess.CompletedProcess:
    """A policygraph command as a real process; a hang past ``timeout`` is reported as rc -9."""
    try:
        return subprocess.run([*COMMAND, *map(str, args)], capture_output=True, text=True,
                              env={**os.environ, **(env or {})}, timeout=timeout, cwd=cwd)  # fmt: skip
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(exc.cmd, -9, "", f"hung past {timeout} s")


def clean_refusal(ran: subprocess.CompletedProcess) -> str | None:
    """Why ``ran`` is not a clean refusal (non-zero, a message, no traceback), or None."""
    if ran.returncode == -9:
        return ran.stderr
    if ran.returncode == 0:
        return "accepted"
    if "Traceback" in ran.stderr or not ran.stderr.strip():
        return "traceback or no message: " + ran.stderr.strip()[-200:]
    return None


def fresh(folder: Path, title: str = "A policy for the tests") -> tuple[Path, Path]:
    """A copy of the fixture data with a second source, and a good build of it in ``out``."""
    data, out = folder / "data", folder / "out"
    shutil.copytree(DATA, data)
    (data / "sources" / "second.yaml").write_text(SECOND.replace("TITLE", title), "utf-8")
    ran = run("build", "--data", data, "--out", out, "--no-shacl")
    if ran.returncode:
        raise RuntimeError(f"the baseline build failed: {ran.stderr}")
    return data, out


# -- bad data files ---------------------------------------------------------------------------


def _bad_files(data: Path) -> dict:
    """Name -> (how to break data/, extra environment)."""
    src = data / "sources"
    rng = __import__("random").Random(7)
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    return {
        "duplicate key": (lambda: (src / "dup.yaml").write_text(
            SECOND.replace("second-brief", "dup-brief") + "items: []\n"), {}),
        "alias expansion bomb": (lambda: (src / "laughs.yaml").write_text(laughs), {}),
        "nesting 100000 deep": (lambda: (src / "deep.yaml").write_text("[" * 100_000), {}),
        "JSON nested 100000 deep": (lambda: (src / "deep.yaml").write_text('{"a":' * 100_000), {}),
        "FIFO as a data file": (lambda: os.mkfifo(src / "fifo.yaml"), {}),
        "link out of data/": (lambda: (src / "link.yaml").symlink_to("/etc/passwd"), {}),
        "file past POLICYGRAPH_MAX_FILE_MB": (lambda: (src / "big.yaml").write_text(
            "# " + "x" * 2_200_000 + "\n"), {"POLICYGRAPH_MAX_FILE_MB": "2"}),
        "not UTF-8": (lambda: (src / "latin.yaml").write_bytes(b"source: {id: caf\xe9}\n"), {}),
        "random bytes": (lambda: (src / "noise.yaml").write_bytes(rng.randbytes(4096)), {}),
        "truncated file": (lambda: (src / "second.yaml").write_text(SECOND[:150]), {}),
        "control character in a title": (lambda: (src / "second.yaml").write_text(
            SECOND.replace("TITLE", '"A \\x1b[2J title"')), {}),
        "bidi override in a title": (lambda: (src / "second.yaml").write_text(
            SECOND.replace("TITLE", "A \u202etitle")), {}),
        "javascript: URL for a policy": (lambda: (src / "second.yaml").write_text(SECOND.replace(
            "TITLE", "x").replace("type: notice", 'type: notice, official_url: "javascript:alert(1)"')), {}),
        "policy with an unknown issuer": (lambda: (src / "second.yaml").write_text(
            SECOND.replace("TITLE", "x").replace("NDRC", "NO-SUCH-BODY")), {}),
    }  # fmt: skip


def bad_data(folder: Path) -> list:
    found = []
    data, out = fresh(folder / "base")
    for name, (_, env) in _bad_files(data).items():
        case = folder / name.replace(" ", "-").replace("/", "")
        shutil.copytree(data, case / "data", symlinks=True)
        shutil.copytree(out, case / "out", symlinks=True)
        before = outputs(case / "out")
        _bad_files(case / "data")[name][0]()  # break this copy
        ran = run("build", "--data", case / "data", "--out", case / "out", env=env, timeout=60)
        why = clean_refusal(ran)
        if ran.returncode and outputs(case / "out") != before:
            found.append((name, "lost data", "out/ changed after a refused build"))
        elif why:
            found.append((name, "failed", why))
        else:
            lines = ran.stderr.strip().splitlines()
            first = next((line for line in lines if ": error" in line), lines[-1])
            found.append((name, "handled", first[-160:]))
    return found


# -- builds killed at each step, concurrent builds ----------------------------------------------

STEPS = ["exported", "staged", "switching", "switched"]


def kills(folder: Path) -> list:
    found = []
    data, out = fresh(folder / "base")
    (data / "sources" / "second.yaml").write_text(
        SECOND.replace("TITLE", "changed").replace("NDRC", "MOF"), "utf-8"
    )
    expected = folder / "expected"
    assert run("build", "--data", data, "--out", expected, "--no-shacl").returncode == 0
    for full in (False, True):
        for step in STEPS:
            name = f"build killed at {step} ({'full' if full else 'incremental'})"
            case = folder / name.replace(" ", "-").replace("(", "").replace(")", "")
            shutil.copytree(out, case)
            old = outputs(case)
            flags = ["--no-shacl", *(["--full"] if full else [])]
            Paused(step, "build", "--data", data, "--out", case, *flags).kill()
            if STEPS.index(step) < STEPS.index("switching") and outputs(case) != old:
                found.append((name, "lost data", "out/ changed before the switch"))
                continue
            read = run("query", "class-counts", "--store", case / "store", cwd=case)
            if step == "switching" and "interrupted while switching" not in read.stderr:
                found.append((name, "failed", "a reader was not told: " + read.stderr[-200:]))
                continue
            again = run("build", "--data", data, "--out", case, "--no-shacl")
            if again.returncode or not (trig(case) == stored(case) == trig(expected)):
                found.append((name, "lost data", again.stderr[-200:] or "outputs differ"))
            else:
                found.append((name, "handled", "next build finished whole"))
    found.append(_symlinked_leftovers(folder / "links", data, out))
    # concurrent builds: one paused writer, a second refused, readers still read
    case = folder / "concurrent"
    shutil.copytree(out, case)
    first = Paused("exported", "build", "--data", data, "--out", case, "--full", "--no-shacl")
    second = run("build", "--data", data, "--out", case, "--no-shacl")
    read = run("query", "class-counts", "--store", case / "store")
    rc = first.resume()
    ok = (second.returncode == 1 and "another build is writing" in second.stderr
          and read.returncode == 0 and rc == 0 and trig(case) == stored(case) == trig(expected))  # fmt: skip
    found.append(("a second build while one writes", "handled" if ok else "lost data",
                  second.stderr.strip()[:160]))  # fmt: skip
    # three builds started together: whatever wins, out/ ends whole
    case = folder / "race"
    shutil.copytree(out, case)
    procs = [subprocess.Popen([*COMMAND, "build", "--data", str(data), "--out", str(case), "--full",
                               "--no-shacl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]  # fmt: skip
    codes = [p.communicate(timeout=300)[1] and p.returncode or p.returncode for p in procs]
    whole = trig(case) == stored(case) == trig(expected)
    found.append(("three builds at once", "handled" if whole and 0 in codes else "lost data",
                  f"exit codes {codes}"))  # fmt: skip
    return found


# -- garbage ingest inputs ----------------------------------------------------------------------


def _workbook_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 400_000_000 + b"</a>")
    return out.getvalue()


def ingest(folder: Path) -> list:
    folder.mkdir(parents=True)
    rng = __import__("random").Random(3)
    cases = {
        "brief: random bytes": ("brief.txt", rng.randbytes(100_000)),
        "brief: one 30 MB line": ("line.txt", b"x" * 30_000_000),
        "brief: NUL and escape bytes": ("nul.txt", b"Article 1\x00\x1b[2J policy\n" * 1000),
        "brief: truncated UTF-16": ("u16.txt", "政策".encode("utf-16")[:-1]),
        "brief: 200k brackets": ("brackets.txt", b"(" * 200_000 + b"[" * 200_000),
        "table: random bytes as CSV": ("t.csv", rng.randbytes(50_000)),
        "table: formula cells": ("f.csv", b"title,date\n=HYPERLINK(\"http://x\"),2024-01-01\n"
                                 b"@SUM(A1),2024-01-02\n"),
        "table: control character": ("c.csv", b"title,date\nA \x07 notice,2024-01-01\n"),
        "table: zip bomb xlsx": ("bomb.xlsx", _workbook_bomb()),
        "table: a million columns": ("wide.csv", b",".join([b"a"] * 1_000_000) + b"\n"),
    }  # fmt: skip
    found = []
    for name, (file, content) in cases.items():
        path = folder / file
        path.write_bytes(content)
        command = "ingest" if name.startswith("brief") else "ingest-table"
        out = folder / (file + ".yaml")
        ran = run(command, path, "-o", out, timeout=90)
        if ran.returncode == 0:  # accepted: its draft must not carry the hostile bytes
            text = out.read_text("utf-8")
            bad = [c for c in ("\x00", "\x1b", "\x07") if c in text]  # a formula is text here
            found.append((name, "reachable" if bad else "handled", f"draft written; {bad or ''}"))
        else:
            why = clean_refusal(ran)
            found.append((name, "failed" if why else "handled",
                          why or ran.stderr.strip().splitlines()[-1][:160]))  # fmt: skip
    for name, path in (("brief: a FIFO", folder / "fifo"), ("brief: /dev/zero", Path("/dev/zero"))):
        if name.endswith("FIFO"):
            os.mkfifo(path)
        ran = run("ingest", path, "-o", folder / "dev.yaml", timeout=30)
        why = clean_refusal(ran)
        found.append((name, "failed" if why else "handled",
                      why or ran.stderr.strip()[:160]))  # fmt: skip
    return found


def _views_with(folder: Path, payload: str) -> tuple[int, list[str], str]:
    """Build views of data holding ``payload`` as a title; the files that carry it raw."""
    data, out = folder / "data", folder / "out"
    shutil.copytree(DATA, data)
    (data / "sources" / "second.yaml").write_text(SECOND.replace("TITLE", json.dumps(payload)))
    ran = run("build", "--data", data, "--out", out, "--no-shacl", timeout=300)
    pages = {str(p.relative_to(out)): p.read_text("utf-8") for p in out.rglob("*.htm*")}
    raw = [name for name, text in pages.items() if payload in text]
    shown = [name for name, text in pages.items() if "__pwned" in text or "7*7" in text]
    return ran.returncode, raw, ran.stderr + f"\nshown (escaped or not) in {len(shown)} pages"


def views(folder: Path) -> list:
    payloads = {
        "script end tag in a title": "</script><script>window.__pwned=1</script>",
        "HTML event handler in a title": '<img src=x onerror="window.__pwned=1">',
        "template syntax in a title": "{{ 7*7 }}{% raw %}${7*7}",
        "quote breaking an attribute": '" onmouseover="window.__pwned=1',
    }
    found = [_formula(folder / "formula")]
    for name, payload in payloads.items():
        rc, raw, err = _views_with(folder / name.replace(" ", "-"), payload)
        if rc and not clean_refusal(subprocess.CompletedProcess([], rc, "", err)):
            found.append((name, "handled", "refused: " + err.strip()[-120:]))
        elif rc:
            found.append((name, "failed", err.strip()[-200:]))
        elif raw and ("<" in payload or '"' in payload):
            found.append((name, "reachable", f"raw in {raw[:3]}"))
        else:
            found.append((name, "handled", "escaped; " + err.strip().splitlines()[-1]))
    return found


def _formula(folder: Path) -> tuple:
    """A title that a spreadsheet would run, read back through ``query --format csv``."""
    payload = '=HYPERLINK("http://evil.example/","click")'
    rc, _, err = _views_with(folder, payload)
    if rc:
        return ("formula title in query --format csv", "failed", err[-200:])
    text = 'SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && STRSTARTS(STR(?o), "=HYP")) }'
    ran = run("query", text, "--format", "csv", "--store", folder / "out" / "store")
    cells = ran.stdout.splitlines()[1:]
    if ran.returncode or not cells:
        return ("formula title in query --format csv", "failed", ran.stderr[-200:] or "no row")
    live = [c for c in cells if c.lstrip('"').startswith(("=", "+", "-", "@"))]
    return ("formula title in query --format csv", "reachable" if live else "handled",
            f"cells {cells[:2]}")  # fmt: skip


def _symlinked_leftovers(folder: Path, data: Path, out: Path) -> tuple:
    """Leftover names of a killed build planted as links to a victim folder: the next build
    must remove the links, never what they point to."""
    case, victim = folder / "out", folder / "victim"
    shutil.copytree(out, case)
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    for name in (".staging", "store.tmp", "store.old", "store.nq", ".graph.nt.1.tmp"):
        (case / name).symlink_to(victim, target_is_directory=True)
    ran = run("build", "--data", data, "--out", case, "--full", "--no-shacl")
    intact = (victim / "keep.txt").is_file()
    whole = trig(case) == stored(case) if ran.returncode == 0 else "Traceback" not in ran.stderr
    verdict = "handled" if intact and whole else "lost data"
    return ("leftover names planted as links to another folder", verdict,
            f"exit {ran.returncode}; victim {'intact' if intact else 'DELETED'}; {ran.stderr[-120:]}")  # fmt: skip
