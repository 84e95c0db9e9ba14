"""A message over source.max_message_bytes is refused before it is read.

Its size comes from the file (Maildir, `ingest` of files, folders and mbox; IMAP
asks the server for RFC822.SIZE first, tests/test_imap.py). The
message is recorded as failed with its size and the limit, once, and left where
it is; of its bytes only the header block is ever read. A 400 MiB file in new/
once took the daemon from 82 MB to 3.36 GB.
"""

from __future__ import annotations

import json
import mailbox
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slipwatch.sources import files
from tests.helpers import CONFIG, vendor_mail

HUGE = 400 * 2**20
# the peak resident memory of the slipwatch process the wrapper runs, in MiB (ru_maxrss is in KiB on Linux)
PEAK = ("import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
        "sys.exit(done.returncode)\n")


def huge_mail(path: Path, size: int = HUGE) -> Path:
    """A mail's header, then zeros to `size` bytes: written sparse, it costs no disk."""
    with path.open("wb") as f:
        f.write(vendor_mail("The attachment follows.\n", message_id="<huge@nimbuslabs.example>"))
        f.truncate(size)
    return path


def maildir(config: Path) -> Path:
    inbox = config.parent / "inbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True, exist_ok=True)
    return inbox


def slipwatch_measured(*args: object) -> tuple[int, str]:
    """Run `slipwatch ARGS...` in a process of its own: (its peak RSS in MiB, its output)."""
    done = subprocess.run([sys.executable, "-c", PEAK, sys.executable, "-m", "slipwatch", *map(str, args)],
                          capture_output=True, text=True, timeout=300)
    *_, peak = done.stdout.splitlines()
    return int(peak), done.stdout + done.stderr


def failed_messages(cli, config: Path) -> list[dict]:
    return json.loads(cli("messages", "--state", "failed", "--json", "--config", config).output)


def refusal(size: int, limit: int = 25_000_000) -> str:
    return f"message is {size} bytes, over source.max_message_bytes = {limit}"


def test_a_400_mib_file_in_the_maildir_is_refused_unread_and_the_daemon_stays_small(cli, config_file):
    inbox = maildir(config_file)
    huge = huge_mail(inbox / "new" / "1-huge")
    (inbox / "new" / "2-status").write_bytes(vendor_mail("The beta build is due on 27 November.\n"))
    peak, out = slipwatch_measured("run", "--once", "--config", config_file)
    assert f"failed <huge@nimbuslabs.example> (message 1): {refusal(HUGE)}" in out
    assert peak < 200, f"the daemon peaked at {peak} MiB"
    (failed,) = failed_messages(cli, config_file)
    assert failed["error"] == refusal(HUGE)
    assert huge.exists() and huge.stat().st_size == HUGE  # left where it was
    (read,) = json.loads(cli("milestones", "--json", "--config", config_file).output)
    assert read["due"] == "2026-11-27"  # the mail behind it was read
    assert "huge" not in slipwatch_measured("run", "--once", "--config", config_file)[1]  # not taken again


@pytest.mark.parametrize("kind", ["an .eml file", "an mbox holding it"])
def test_ingest_refuses_a_400_mib_message_unread(cli, config_file, tmp_path, kind):
    if kind == "an .eml file":
        path = huge_mail(tmp_path / "huge.eml")
    else:
        path = tmp_path / "export.mbox"
        box = mailbox.mbox(path)
        box.add(vendor_mail("The beta build is due on 27 November.\n"))
        box.close()
        with path.open("ab") as f:
            f.write(b"\nFrom huge@nimbuslabs.example Fri Nov 20 09:00:00 2026\n")
            f.write(vendor_mail("The attachment follows.\n", message_id="<huge@nimbuslabs.example>"))
            f.truncate(f.tell() + HUGE)
    peak, out = slipwatch_measured("ingest", path, "--config", config_file)
    assert peak < 200, f"ingest peaked at {peak} MiB"
    assert "message is 4194" in out and "bytes, over source.max_message_bytes = 25000000" in out
    (failed,) = failed_messages(cli, config_file)
    assert failed["error"].startswith("message is 4194")


def test_each_file_is_measured_against_the_configured_limit(cli, write_config, tmp_path):
    config = write_config(CONFIG.replace("poll_seconds = 1", "poll_seconds = 1\nmax_message_bytes = 5000"))
    small = vendor_mail("The beta build is due on 27 November.\n")
    large = vendor_mail("x" * 10_000 + "\n", message_id="<large@nimbuslabs.example>")
    (tmp_path / "a.eml").write_bytes(large)
    (tmp_path / "b.eml").write_bytes(small)
    out = cli("ingest", tmp_path / "a.eml", tmp_path / "b.eml", "--config", config, ok=False).output
    assert "1 new, 0 duplicate, 1 failed" in out
    (failed,) = failed_messages(cli, config)
    assert failed["error"] == refusal(len(large), 5000)


LINES = st.lists(st.sampled_from(["From a@b.example Fri Nov 20 09:00:00 2026", "From x", "", "From", ">From a",
                                  "Subject: s", "a line longer than a piece of it is read in", " From here"]),
                 max_size=12)


@settings(max_examples=300, deadline=None)
# pieces as short as a line's "From " (the reader reads 64 KiB at a time)
@given(lines=LINES, end=st.sampled_from(["\n", ""]), piece=st.integers(min_value=5, max_value=12))
def test_an_mbox_read_in_pieces_gives_the_bytes_mailbox_gives(tmp_path_factory, lines, end, piece):
    """The mbox reader that never holds a line whole parts messages where the stdlib's mailbox.mbox does."""
    path = tmp_path_factory.mktemp("mbox") / "box"
    path.write_bytes(("From first\n" + "\n".join(lines) + end).encode())
    box = mailbox.mbox(path, create=False)
    expected = [box.get_bytes(key) for key in box.iterkeys()]
    box.close()
    with path.open("rb") as f, mock.patch.object(files, "_LINE", piece):
        got = [read_span(f, start, stop) for start, stop in list(files.mbox_spans(f))]
    assert got == expected


def read_span(f, start: int, stop: int) -> bytes:
    f.seek(start)
    return f.read(stop - start)
