"""Reading vendor mail: raw bytes in, the vendor's message out (`read_message`)."""

from slipwatch.mail.model import Attachment, Table, VendorMessage
from slipwatch.mail.reader import read_message

__all__ = ["Attachment", "Table", "VendorMessage", "read_message"]
