"""Exceptions that stores, queries and ingestion raise, whichever engine is behind them."""


class StoreError(Exception):
    """A store that cannot be used: missing, half-written, locked, down or refusing."""


class QueryError(Exception):
    """A query that cannot run: unknown name, bad parameter, syntax error, timeout."""


class IngestError(Exception):
    """An input that cannot be ingested: empty, binary, unreadable, or with no text."""
