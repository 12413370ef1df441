"""The records people write in ``data/``: declared kinds and models, loading with file and line
for every problem, official titles, and the registry that resolves names to entities."""
