"""Networks → offline HTML views (pyvis and our own template), GraphML, GEXF and CSV."""

INDEX = "index.html"  # the page that links every view, at the top of the output folder
