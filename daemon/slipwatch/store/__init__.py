"""SQLite storage: schema, migrations and the queries the rest of slipwatch uses."""

from slipwatch.config import Config
from slipwatch.store.db import Admission, Location, Store

__all__ = ["Admission", "Location", "Store", "open_store"]


def open_store(config: Config) -> Store:
    """The config's store, with its vendors and teams mirrored in (their zones decide when a date ends)."""
    store = Store.open(config.store.path, busy_timeout=config.store.busy_timeout_seconds)
    store.sync_directory(
        [{"name": v.name, "timezone": v.timezone, "domains": v.domains} for v in config.vendors],
        [{"name": t.name, "timezone": t.timezone} for t in config.teams],
    )
    return store
