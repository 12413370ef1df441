"""notebooks/explore.ipynb runs top to bottom and shows what it promises."""

from __future__ import annotations

import nbformat
from conftest import DATA, ROOT
from nbclient import NotebookClient


def test_the_notebook_runs_top_to_bottom(tmp_path, checked):
    (tmp_path / "data").symlink_to(DATA)
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert html.count("<iframe") == 2  # the two views, inline
    assert "Agency co-issuance" in html and "Sector overlap" in html
    text = "\n".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    # the co-issuance frame holds the brief's MIIT–NHC pair with its two shared policies
    assert any(line.split()[1:4] == ["MIIT", "NHC", "2"] for line in text.splitlines()
               if len(line.split()) >= 4)  # fmt: skip
    titles = {p.title_en for s in checked.data.sources.values() for p in s.policies
              if p.issuers[0] == "miit" or "miit" in p.issuers}  # fmt: skip
    assert all(t[:40] in html or t[:40] in text for t in titles)
    assert (tmp_path / "out" / "index.html").exists()
