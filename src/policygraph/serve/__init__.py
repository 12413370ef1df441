"""The read-only SPARQL endpoint: Oxigraph's server behind a small front, with a query page."""
