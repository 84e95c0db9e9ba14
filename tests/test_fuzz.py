"""Fuzzing the whole intake: arbitrary mutations of real mail never escape as exceptions.

10,000 mutations of the demo inbox's mails (byte flips, truncation, charset
swaps, duplicated headers, broken boundaries and encodings) go through
ingest (which reads and extracts) and 2,000 through `extract`: every message
is recorded (processed, quarantined or failed with a reason), nothing raises,
and no message takes longer than the configured time budget.
"""

from __future__ import annotations

import random
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from slipwatch import config as config_mod
from slipwatch.pipeline import Pipeline, extract_report
from slipwatch.service import open_store
from slipwatch.sources import Incoming
from slipwatch.store import Location
from tests.helpers import CONFIG, DEMO_INBOX

pytestmark = pytest.mark.slow

SEEDS = [p.read_bytes() for p in sorted(DEMO_INBOX.glob("*.eml"))]
CHARSETS = [b"utf-8", b"iso-8859-2", b"koi8-r", b"gb2312", b"windows-1252", b"x-unknown", b"utf-7", b"\xff\xfe"]


def flip_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(raw: bytes, rng: random.Random) -> bytes:
    return raw[: rng.randrange(len(raw))]


def swap_charsets(raw: bytes, rng: random.Random) -> bytes:
    return re.sub(rb'charset="?[\w-]+"?', lambda m: b"charset=" + rng.choice(CHARSETS), raw)


def duplicate_headers(raw: bytes, rng: random.Random) -> bytes:
    head, sep, body = raw.partition(b"\n\n")
    lines = head.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        lines.insert(rng.randrange(len(lines)), rng.choice(lines))
    return b"\n".join(lines) + sep + body


def break_structure(raw: bytes, rng: random.Random) -> bytes:
    raw = re.sub(rb"boundary=\"?([^\";\r\n]+)", lambda m: b"boundary=" + m.group(1)[: rng.randint(0, 6)], raw)
    return raw.replace(b"base64", rng.choice([b"base64", b"quoted-printable", b"8bit", b"x-uuencode"]))


MUTATIONS = [flip_bytes, truncate, swap_charsets, duplicate_headers, break_structure]


def mutants(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        raw = rng.choice(SEEDS)
        for mutate in rng.sample(MUTATIONS, rng.randint(1, 3)):
            raw = mutate(raw, rng) or b" "
        # a Message-ID of its own on top (in the mail's own line ending), so that no two mutants
        # are one message to the store
        eol = b"\r\n" if b"\r\n" in raw[:2000] else b"\n"
        out.append(b"Message-ID: <fuzz-%d@slipwatch.test>" % n + eol + raw)
    return out


def test_ten_thousand_mutants_are_each_recorded_and_none_escapes(write_config):
    # trust off: with it on, a mutant our server does not vouch for is quarantined unread, and the
    # reader, which is what this test shakes, would never see it
    config = config_mod.load(write_config(CONFIG.replace('authserv_id = "mx1.fernhill.example"', 'mode = "off"')))
    store = open_store(config)
    pipeline = Pipeline(store, config)
    slowest = 0.0
    for n, raw in enumerate(mutants(10_000, seed=1)):
        start = time.perf_counter()
        pipeline.accept(Incoming(raw, Location("fuzz", str(n))))
        slowest = max(slowest, time.perf_counter() - start)
    counts = store.counts()
    store.close()
    assert sum(counts.values()) == 10_000 and "new" not in counts, counts
    assert slowest < config.limits.extract_seconds  # the time budget bounds every message


def test_extract_gives_every_mutant_its_line():
    for raw in mutants(2_000, seed=2):
        report = extract_report(raw)
        assert {"forwarded_by", "from", "subject", "sent", "milestones"} <= set(report)


def mime_tree(depth: int = 0):
    leaf = st.builds(
        lambda ctype, body, cte: f"Content-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n{body}\r\n",
        st.sampled_from(["text/plain", "text/html", "text/calendar", "text/csv", "message/rfc822", "application/zip"]),
        st.text(max_size=200),
        st.sampled_from(["7bit", "base64", "quoted-printable", "8bit"]),
    )
    if depth >= 3:
        return leaf
    return st.one_of(leaf, st.lists(mime_tree(depth + 1), max_size=4).map(
        lambda parts: "Content-Type: multipart/mixed; boundary=b{d}\r\n\r\n".format(d=depth)
        + "".join(f"--b{depth}\r\n{p}" for p in parts) + f"--b{depth}--\r\n"))


HEADER_VALUES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=mime_tree(), sender=HEADER_VALUES, subject=HEADER_VALUES, date=HEADER_VALUES)
def test_arbitrary_mime_trees_and_header_values_never_raise(tree, sender, subject, date):
    raw = f"From: {sender}\r\nSubject: {subject}\r\nDate: {date}\r\n{tree}".encode("utf-8", "surrogateescape")
    report = extract_report(raw)
    assert isinstance(report["milestones"], list)
