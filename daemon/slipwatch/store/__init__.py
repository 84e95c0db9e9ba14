"""SQLite storage: schema, migrations and the queries the rest of slipwatch uses."""

from slipwatch.store.db import Admission, Location, Store

__all__ = ["Admission", "Location", "Store"]
