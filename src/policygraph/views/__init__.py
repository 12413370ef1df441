"""Networks → offline HTML views (pyvis and our own template), GraphML, GEXF and CSV."""
