"""Outlook's winmail.dat: the text and attachments inside it are read like any others."""

from __future__ import annotations

import struct
from email.message import EmailMessage

from slipwatch.mail import read_message
from slipwatch.mail.tnef import unpack
from slipwatch.pipeline import extract_report


def tnef_object(level: int, name: int, kind: int, data: bytes) -> bytes:
    return struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def winmail(body: bytes, attachments: list[tuple[str, bytes]] = ()) -> bytes:
    """A minimal TNEF container as Outlook writes it: version, code page, body, then attachments."""
    out = struct.pack("<IH", 0x223E9F78, 0x0101)
    out += tnef_object(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += tnef_object(1, 0x9007, 0x0006, struct.pack("<II", 1252, 0))  # attOemCodepage
    out += tnef_object(1, 0x800C, 0x0002, body)  # attBody
    for name, data in attachments:
        out += tnef_object(2, 0x9002, 0x0006, b"\x01\x00" + b"\xff" * 12)  # attAttachRendData opens one
        out += tnef_object(2, 0x8010, 0x0001, name.encode() + b"\x00")  # attAttachTitle
        out += tnef_object(2, 0x800F, 0x0006, data)  # attAttachData
    return out


def outlook_rich_text_mail(container: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Rahul K <rahul.k@nimbuslabs.example>"
    msg["To"] = "schedule@fernhill.example"
    msg["Subject"] = "Trailhead plan"
    msg["Date"] = "Mon, 02 Nov 2026 10:00:00 +0530"
    msg["Message-ID"] = "<tnef@nimbuslabs.example>"
    msg.set_content("")  # Outlook leaves the text part empty; everything is in winmail.dat
    msg.add_attachment(container, maintype="application", subtype="ms-tnef", filename="winmail.dat")
    return msg.as_bytes()


def test_the_body_and_the_attached_schedule_come_out_of_winmail_dat():
    container = winmail("Die Beta wird am 27. November geliefert – versprochen.".encode("cp1252"),
                        [("plan.csv", b"Deliverable,Due\nStore submission,2026-12-11\n")])
    message = read_message(outlook_rich_text_mail(container))
    assert "am 27. November geliefert – versprochen" in message.text
    assert [a.filename for a in message.attachments] == ["plan.csv"]


def test_milestones_inside_winmail_dat_are_extracted():
    container = winmail(b"The beta build is due on 27 November.",
                        [("plan.csv", b"Deliverable,Due\nStore submission,2026-12-11\n")])
    report = extract_report(outlook_rich_text_mail(container))
    assert {(m["name"], m["due"]) for m in report["milestones"]} >= {("Store submission", "2026-12-11")}


def test_a_broken_winmail_dat_is_a_problem_not_a_crash():
    assert unpack(b"not a tnef container").problems == ("winmail.dat could not be read: ValueError",)
    message = read_message(outlook_rich_text_mail(b"\x78\x9f\x3e\x22 truncated"))
    assert any("winmail.dat" in p for p in message.problems)
