"""Every error slipwatch raises on purpose.

The hierarchy::

    SlipwatchError                 base: catch this to handle any of ours
    ├── ConfigError                the config file is missing, unreadable or invalid
    ├── StoreError                 the SQLite store cannot be opened, migrated or written
    │   ├── StoreBusy              another process holds it past the busy timeout: retry
    │   └── StoreFull              the disk is full: nothing was written, retry later
    ├── SourceError                a mail source cannot be read (Maildir, mbox, IMAP)
    ├── MessageError               one message cannot be read; it is recorded as
    │   │                          failed with this reason and the daemon goes on
    │   ├── LimitExceeded          it broke one of the [limits]: failed for good
    │   │   └── ReadingTimedOut    reading it took longer than limits.extract_seconds
    │   └── NotMail                it is not a mail message at all (empty, binary,
    │                              no header block): failed for good
    ├── DocumentUnreadable         an attached office document cannot be read (encrypted,
    │                              broken): the message says why and is read without it
    ├── CorrectionError            a person's correction cannot be applied (no such
    │                              milestone, or a mail that names no single one)
    ├── FeedError                  a calendar feed cannot be served or written (address
    │                              in use, unwritable directory, unknown team)
    └── LanguageFileError          a language file of the registry (slipwatch/lang) is
                                   malformed: a broken installation or a new file's mistake

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


class StoreBusy(StoreError):
    """Another process holds the database longer than the busy timeout."""


class StoreFull(StoreError):
    """The disk (or the database's size limit) is full; nothing was written."""


class MessageError(SlipwatchError):
    """One message cannot be read; it is recorded as failed with this reason."""


class DocumentUnreadable(SlipwatchError):
    """An attached office document (XLSX, DOCX, PDF) cannot be read: password-protected, broken or
    of a format slipwatch does not read. Its reason joins the message's problems; the rest of the
    message is read."""


class LimitExceeded(MessageError):
    """A message broke one of the [limits]; it is failed for good, not retried."""


class ReadingTimedOut(LimitExceeded):
    """Reading a message took longer than limits.extract_seconds; failed for good, not retried."""


class NotMail(MessageError):
    """The bytes are no mail message (an empty file, a picture); failed for good, not retried."""


class CorrectionError(SlipwatchError):
    """A person's correction cannot be applied as given."""


class FeedError(SlipwatchError):
    """A calendar feed cannot be served or written."""


class LanguageFileError(SlipwatchError):
    """A language file of the registry (slipwatch/lang/*.json) is malformed."""
