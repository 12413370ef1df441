"""The graph as networks: incidence tables fetched from any backend, and their projections
(co-issuance, sector overlap, agency–sector, company–sector) with metrics."""
