"""Exceptions that stores and queries raise, whichever engine is behind them."""


class StoreError(Exception):
    """A store that cannot be used: missing, half-written, locked, down or refusing."""


class QueryError(Exception):
    """A query that cannot run: unknown name, bad parameter, syntax error, timeout."""
