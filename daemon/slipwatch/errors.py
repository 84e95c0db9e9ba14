"""Every error slipwatch raises on purpose.

The hierarchy::

    SlipwatchError                 base: catch this to handle any of ours
    ├── ConfigError                the config file is missing, unreadable or invalid
    ├── StoreError                 the SQLite store cannot be opened or migrated
    ├── SourceError                a mail source cannot be read (Maildir, mbox, IMAP)
    ├── MessageError               one message cannot be read; it is recorded as
    │                              failed with this reason and the daemon goes on
    ├── CorrectionError            a person's correction cannot be applied (no such
    │                              milestone, or a mail that names no single one)
    └── FeedError                  a calendar feed cannot be served or written (address
                                   in use, unwritable directory, unknown team)

Each carries a message written for the person who has to act on it: what is
wrong, where, and how to fix it.
"""

from __future__ import annotations


class SlipwatchError(Exception):
    """Base class of every error slipwatch raises on purpose."""


class ConfigError(SlipwatchError):
    """The configuration is missing, unreadable or invalid."""


class StoreError(SlipwatchError):
    """The SQLite store cannot be opened, migrated or written."""


class SourceError(SlipwatchError):
    """A mail source (Maildir, mbox, IMAP) cannot be read."""


class MessageError(SlipwatchError):
    """One message cannot be read; it is recorded as failed with this reason."""


class CorrectionError(SlipwatchError):
    """A person's correction cannot be applied as given."""


class FeedError(SlipwatchError):
    """A calendar feed cannot be served or written."""
