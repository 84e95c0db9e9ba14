"""Reading vendor mail: raw bytes in, the vendor's message out (`read_message`).

`read_message` is imported on first use: the reader brings the office-document libraries and the date
grammar, which commands that only read the store (and `slipwatch.mail.model`'s users) should not pay for.
"""

from typing import Any

__all__ = ["Attachment", "Table", "VendorMessage", "read_message"]


def __getattr__(name: str) -> Any:
    if name == "read_message":
        from slipwatch.mail.reader import read_message

        return read_message
    if name in ("Attachment", "Table", "VendorMessage"):
        from slipwatch.mail import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
