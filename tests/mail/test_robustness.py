"""read_message never raises: arbitrary bytes and arbitrary MIME trees."""

from __future__ import annotations

from email.message import Message

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slipwatch.mail import VendorMessage, read_message

HEADER_NAMES = st.sampled_from(
    ["From", "Subject", "Date", "Content-Type", "Content-Transfer-Encoding", "Message-ID", "References"]
)
CONTENT_TYPES = st.sampled_from(
    [
        "text/plain; charset=utf-8", "text/plain; charset=x-bogus", "text/html", "text/calendar",
        "multipart/mixed; boundary=b", "multipart/alternative", "multipart/signed; boundary=s",
        "message/rfc822", "application/pkcs7-mime", "application/octet-stream; name=a.eml",
    ]
)
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200
) | st.sampled_from(
    [
        "---------- Forwarded message ---------\nFrom: a@b.c\nDate: 31/02/2026 25:99\nSubject: x\n",
        "> On Mon, 1 Jan 9999, x <y@z> wrote:\n>> ",
        "<table><tr><td><table><td>x</table></tr><blockquote><pre>\n</pre>",
        "From: \nSent: \nTo: \nSubject: \n" * 3,
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(raw):
    assert isinstance(read_message(raw), VendorMessage)


@st.composite
def mime_trees(draw, depth=0):
    message = Message()  # compat32 builds what a hostile sender could send
    for name in draw(st.lists(HEADER_NAMES, max_size=4)):
        message[name] = draw(TEXT)
    ctype = draw(CONTENT_TYPES)
    if ctype.startswith(("multipart", "message")) and depth < 3:
        message.set_type(ctype.split(";")[0])
        children = draw(st.lists(mime_trees(depth + 1), min_size=0, max_size=3))
        message.set_payload(children if ctype.startswith("multipart") else children[:1] or None)
    else:
        del message["Content-Type"]
        message["Content-Type"] = ctype
        message.set_payload(draw(TEXT))
    return message


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mime_trees(), st.integers(min_value=0, max_value=400), st.binary(max_size=40))
def test_arbitrary_mime_trees_and_their_corruptions(tree, cut, junk):
    try:
        raw = tree.as_bytes()
    except Exception:  # noqa: BLE001 - the generator can build trees the serializer refuses
        raw = str(tree.get_payload()).encode("utf-8", "replace")
    for variant in (raw, raw[:cut] + junk + raw[cut:], raw[: len(raw) // 2]):
        assert isinstance(read_message(variant), VendorMessage)
