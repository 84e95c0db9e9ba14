"""The `slipwatch` command line: parse options, call one library function, report.

Domain errors (SlipwatchError) become click.ClickException with the message
the library wrote for the user; nothing here holds logic of its own.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from slipwatch import __version__, clock, config as config_mod, credentials, listings, logs, modes
from slipwatch.errors import SlipwatchError
from slipwatch.extract.model import STATUSES
from slipwatch.publish import digest as digest_mod, dispatch, outbox as outbox_mod
from slipwatch.publish import publisher
from slipwatch.sanitise import one_line, visible
from slipwatch.sources.files import expand, read_paths
from slipwatch.store import Store, open_store
from slipwatch.track import corrections, query
from slipwatch.track.scorecard import scorecard

config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Config file (default: ${config_mod.ENV_VAR}, then {config_mod.DEFAULT_PATH}).",
)


class Group(click.Group):
    """Turns the library's own errors into clean messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SlipwatchError as exc:
            raise click.ClickException(visible(str(exc), keep="\n")) from exc


@click.group(cls=Group)
@click.version_option(__version__, prog_name="slipwatch")
@click.option("--log-level", type=click.Choice(logs.LEVELS), default="info", show_default=True)
def main(log_level: str) -> None:
    """slipwatch: vendor status mail in, a schedule people can trust out."""
    os.umask(modes.UMASK)  # the database, the outbox and whatever else is written are this user's alone
    logs.setup(log_level)


class StatusChoice(click.Choice):
    """A status as the tables print it ("at risk") or as JSON has it (at_risk)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            spoken = "_".join(value.lower().replace("-", " ").split())
            if spoken in self.choices:
                return spoken
        return super().convert(value, param, ctx)  # the error names what was typed


def _load(config_file: Path | None) -> config_mod.Config:
    return config_mod.load(config_file)


@main.command("check-config")
@config_option
def check_config(config_file: Path | None) -> None:
    """Validate the config file, read the secrets it names (never shown) and print what it sets up."""
    config = _load(config_file)
    for line in config_mod.summary(config):
        click.echo(line)
    secrets = credentials.check(config)
    for note in secrets.unchecked:
        click.echo(f"not checked: {note}")
    for warning in secrets.exposed:
        click.echo(f"warning: {warning}")
    if secrets.problems:
        raise click.ClickException("\n".join(secrets.problems))
    click.echo("config OK")


@main.command()
@config_option
def doctor(config_file: Path | None) -> None:
    """Check the config, the store, IMAP, SMTP, the feeds and trust.authserv_id; print the fix for each failure."""
    from slipwatch.doctor import checks  # the IMAP, SMTP and HTTP clients it brings are for this command

    failed = 0
    for check in checks(config_file):
        click.echo(f"{'FAIL' if not check.ok else 'WARN' if check.fix else 'ok  '} {check.name}: {one_line(check.detail)}")
        if check.fix:
            click.echo(f"     fix: {one_line(check.fix)}")
        if not check.ok:
            failed += 1
    if failed:
        raise click.ClickException(f"{failed} check(s) failed")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
def ingest(paths: tuple[Path, ...], config_file: Path | None) -> None:
    """Store and read mail from .eml files, folders of them, Maildirs or mbox files.

    Names each file that failed or was skipped, with why; exits 1 when any failed.
    """
    from slipwatch import pipeline  # the grammar it loads is for commands that read mail

    config = _load(config_file)
    found = expand(list(paths))
    store = open_store(config)
    try:
        messages = list(read_paths(found.paths, config.source.max_message_bytes))
        flow = pipeline.Pipeline(store, config)
        many = len(messages) > 20
        with click.progressbar(messages, label="ingesting", file=sys.stderr) if many else nullcontext(messages) as bar:
            summary = pipeline.ingest(flow, bar)
    finally:
        store.close()
    for path, why in found.skipped:
        click.echo(one_line(f"skipped {path}: {why}"))
    failures = [*((str(path), why) for path, why in found.unreadable), *summary.failures]
    for where, why in failures:
        click.echo(one_line(f"failed {where}: {why}"))
    quarantined = f", {summary.quarantined} quarantined" if summary.quarantined else ""
    skipped = f", {len(found.skipped)} skipped" if found.skipped else ""
    click.echo(f"{summary.new} new, {summary.duplicate} duplicate, {len(failures)} failed{quarantined}{skipped}")
    if failures:
        raise click.ClickException(
            f"{len(failures)} of {len(messages) + len(found.unreadable)} messages failed; "
            "`slipwatch messages --state failed` keeps the reasons"
        )


@main.command()
@click.option("--once", is_flag=True, help="Do one pass over the source, then exit.")
@config_option
def run(once: bool, config_file: Path | None) -> None:
    """Run the daemon: watch the source and record every message."""
    from slipwatch import service  # the grammar it loads is for commands that read mail

    config = _load(config_file)
    for line in config_mod.summary(config):
        click.echo(line, err=True)
    _print_feed_urls(config)
    service.run(config, once=once)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (JSON Lines), as in RULES.md.")
def extract(files: tuple[Path, ...], as_json: bool) -> None:
    """Read mail files and print who wrote them, when, and their milestones."""
    from slipwatch import pipeline  # the grammar it loads is for commands that read mail

    for file in files:
        try:
            report: dict[str, Any] = {"file": str(file), **pipeline.extract_report(file.read_bytes())}
        except OSError as exc:
            report = {"file": str(file), "error": f"cannot read: {exc.strerror}"}
        click.echo(json.dumps(report, ensure_ascii=False) if as_json else listings.reading(report))


@main.group(invoke_without_command=True)
@config_option
@click.pass_context
def quarantine(ctx: click.Context, config_file: Path | None) -> None:
    """Messages kept out of the schedule (untrusted sender, DMARC failed), with the reason."""
    if ctx.invoked_subcommand is not None:
        return
    config = _load(config_file)
    store = Store.open(config.store.path)
    try:
        rows = store.messages("quarantined")
    finally:
        store.close()
    click.echo(listings.quarantine(rows, listings.zone(config)))


@quarantine.command("release")
@click.argument("message", type=int)
@config_option
def quarantine_release(message: int, config_file: Path | None) -> None:
    """Vouch for a quarantined message: it is recorded as if it came from a trusted sender."""
    from slipwatch import pipeline  # the grammar it loads is for commands that read mail

    config = _load(config_file)
    store = open_store(config)
    try:
        outcome = pipeline.Pipeline(store, config).release(message, _who())
    finally:
        store.close()
    if outcome.status != "new":
        raise click.ClickException(one_line(f"message {message} could not be recorded: {outcome.error}"))
    click.echo(f"message {message} released into the schedule")


@main.command()
@click.option("--state", type=click.Choice(["new", "processed", "failed", "quarantined"]))
@click.option("--json", "as_json", is_flag=True)
@config_option
def messages(state: str | None, as_json: bool, config_file: Path | None) -> None:
    """List stored messages and their state (failed ones with the reason)."""
    config = _load(config_file)
    store = Store.open(config.store.path)
    try:
        rows = store.messages(state)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(listings.messages(rows, listings.zone(config), state))


as_of_option = click.option(
    "--as-of", "as_of", help="See the schedule as it stood at this moment (ISO 8601; default: now, or $SLIPWATCH_NOW)."
)


def _moment(as_of: str | None) -> dt.datetime:
    return clock.parse_moment(as_of) if as_of else clock.now()


def _views(config: config_mod.Config, as_of: str | None, *, ignored: bool = False) -> list[query.MilestoneView]:
    store = open_store(config)
    try:
        return query.load(store, as_of=_moment(as_of), teams=query.scopes(config.teams), include_ignored=ignored)
    finally:
        store.close()


@main.command()
@click.option("--team", help="Only this team's milestones, times in its zone (default: the organisation's).")
@click.option("--vendor", help="Only this vendor's milestones.")
@click.option("--status", type=StatusChoice([*STATUSES, "overdue"]), help="Only milestones in this state.")
@click.option("--slipped", is_flag=True, help="Only milestones whose due date moved past the first one.")
@click.option("--overdue", is_flag=True, help="Only milestones whose due moment passed without a delivery.")
@click.option("--json", "as_json", is_flag=True)
@as_of_option
@config_option
def milestones(
    team: str | None, vendor: str | None, status: str | None, slipped: bool, overdue: bool, as_json: bool,
    as_of: str | None, config_file: Path | None,
) -> None:
    """List milestones: team, vendor, project, due date, status, baseline and slip."""
    config = _load(config_file)
    zone = listings.zone(config, team)
    rows = query.select(
        _views(config, as_of), team=team, vendor=vendor, status=status, slipped=slipped, overdue=overdue
    )
    if as_json:
        _echo_json(v.as_json() for v in rows)
        return
    click.echo(listings.milestones(rows, zone))


@main.command()
@click.argument("milestone", type=int)
@click.option("--team", help="Show times in this team's zone (default: the organisation's).")
@click.option("--json", "as_json", is_flag=True)
@as_of_option
@config_option
def show(milestone: int, team: str | None, as_json: bool, as_of: str | None, config_file: Path | None) -> None:
    """The timeline of one milestone: every revision, who said it, and the sentence that said it."""
    config = _load(config_file)
    zone = listings.zone(config, team)
    view = next((v for v in _views(config, as_of, ignored=True) if v.id == milestone), None)
    if view is None:
        raise click.ClickException(f"no milestone {milestone} (merged or ignored ones show under their target)")
    if as_json:
        click.echo(json.dumps(view.as_json(), ensure_ascii=False, indent=2))
        return
    click.echo(listings.story(view, zone))


@main.command()
@click.option("--json", "as_json", is_flag=True)
@as_of_option
@config_option
def vendors(as_json: bool, as_of: str | None, config_file: Path | None) -> None:
    """The vendor scorecard: on-time rate, slips, overdue and at-risk milestones."""
    records = scorecard(_views(_load(config_file), as_of))
    if as_json:
        _echo_json(r.as_json() for r in records)
        return
    click.echo(listings.vendors(records))


def _echo_json(items: Iterable[Any]) -> None:
    """A JSON array written as it is made."""
    for chunk in listings.json_array(items):
        click.echo(chunk, nl=False)
    click.echo()


def _correction(config_file: Path | None, apply: Callable[[sqlite3.Connection, str, dt.datetime], Any]) -> Any:
    """Open the store and apply one correction in a transaction, as the person running the command."""
    config = _load(config_file)
    store = Store.open(config.store.path)
    try:
        with store.transaction() as conn:
            return apply(conn, _who(), clock.now())
    finally:
        store.close()


def _who() -> str:
    return os.environ.get("SLIPWATCH_USER") or getpass.getuser()


@main.command()
@click.argument("milestone", type=int)
@click.option("--due", help="The due date (YYYY-MM-DD) or instant (YYYY-MM-DDTHH:MM+HH:MM).")
@click.option("--moved-by", type=click.Choice(sorted(corrections.MOVERS)),
              help="With --due: the date moved now, by staff (never the vendor's slip) or by the vendor.")
@click.option("--reason", help="Why; kept in the milestone's history. Needed with --moved-by.")
@click.option("--status", type=StatusChoice(STATUSES), help="The right status.")
@click.option("--name", help="The right name.")
@config_option
def correct(
    milestone: int, due: str | None, moved_by: str | None, reason: str | None, status: str | None,
    name: str | None, config_file: Path | None,
) -> None:
    """Correct a milestone's due date, status or name, or record who moved its date.

    The vendor's record (slips and slip days in the digest, the scorecard's
    on-time rate, slips and mean slip, lateness) counts only what the vendor
    moved:

    \b
    --due D          a misread: the vendor's mail said D and slipwatch read
                     another date. That mail now counts as if read right; the
                     fix moves nothing, and later moves are measured from D.
    --due D --moved-by staff --reason WHY
                     we moved it ("we asked them to hold until our API is
                     ready"): the due date moves, the vendor is not charged.
                     A later move by the vendor is measured from D.
    --due D --moved-by vendor --reason WHY
                     the vendor moved it and told you outside mail (a call):
                     a slip like one by mail.

    Each change is a revision by you ($SLIPWATCH_USER, else your login) with
    the reason; `slipwatch show MILESTONE` tells them. To measure the vendor
    from a new plan, see `slipwatch rebaseline`. By mail, the first line of a
    reply: `slipwatch: due D`, `slipwatch: due D moved by staff because WHY`.
    """
    if not (due or status or name):
        raise click.UsageError("give at least one of --due, --status, --name")
    _correction(config_file, lambda conn, who, at: corrections.correct(
        conn, milestone, author=who, at=at, due=due, status=status, name=name, moved_by=moved_by, reason=reason))
    click.echo(f"milestone {milestone} corrected")


@main.command()
@click.argument("milestone", type=int)
@click.option("--due", help="The new baseline (YYYY-MM-DD); default: the current due date.")
@click.option("--reason", required=True, help="Why; kept in the milestone's history.")
@config_option
def rebaseline(milestone: int, due: str | None, reason: str, config_file: Path | None) -> None:
    """Measure the vendor afresh from a date: a new plan, agreed.

    From now on the milestone's slip, its slips and its lateness count from
    the new baseline (the current due date, or --due D, which moves the due
    date there too without charging the vendor). Slips before it stay in the
    milestone's history and in the digests that told them. A milestone
    reported delayed is planned again. Recorded as a revision by you with the
    reason; `slipwatch show MILESTONE` tells it. By mail, the first line of a
    reply: `slipwatch: rebaseline [D] because WHY`.
    """
    _correction(config_file, lambda conn, who, at: corrections.rebaseline(
        conn, milestone, author=who, at=at, due=due, reason=reason))
    click.echo(f"milestone {milestone} rebaselined")


@main.command()
@click.argument("keep", type=int)
@click.argument("other", type=int)
@config_option
def merge(keep: int, other: int, config_file: Path | None) -> None:
    """Two milestones are the same deliverable: fold OTHER into KEEP (undo with split)."""
    _correction(config_file, lambda conn, who, at: corrections.merge(conn, keep, other, author=who, at=at))
    click.echo(f"milestone {other} merged into {keep}")


@main.command()
@click.argument("milestone", type=int)
@click.option("--revision", "revisions", type=int, multiple=True, help="A revision to move to a new milestone.")
@config_option
def split(milestone: int, revisions: tuple[int, ...], config_file: Path | None) -> None:
    """Undo a wrong match: unmerge MILESTONE, or move the given revisions to a new milestone."""
    new = _correction(config_file, lambda conn, who, at: corrections.split(
        conn, milestone, revisions, author=who, at=at))
    click.echo(f"milestone {new} stands on its own")


@main.command()
@click.argument("milestone", type=int)
@click.option("--undo", is_flag=True, help="Show it again.")
@config_option
def ignore(milestone: int, undo: bool, config_file: Path | None) -> None:
    """Hide a milestone that is not one (kept, with who hid it)."""
    _correction(config_file, lambda conn, who, at: corrections.ignore(conn, milestone, author=who, at=at, undo=undo))
    click.echo(f"milestone {milestone} {'shown again' if undo else 'ignored'}")


# -- calendar feeds -----------------------------------------------------------


def _publishing(config_file: Path | None, act: Callable[[config_mod.Config, Store], Any]) -> Any:
    config = _load(config_file)
    store = Store.open(config.store.path)
    try:
        return act(config, store)
    finally:
        store.close()


def _echo_links(links: list[publisher.Link], err: bool = False) -> None:
    for link in links:
        if link.new:
            click.echo(f"{link.feed}: {link.title}\n  {link.url}\n  {link.webcal}\n  page: {link.page}", err=err)
        else:
            click.echo(f"{link.feed}: {link.title}\n  {link.url}  (token made {link.made[:10]})\n  page: {link.page}",
                       err=err)
    if any(link.new for link in links):
        click.echo("A new URL is shown this once: slipwatch keeps only a hash of its token.", err=err)
    click.echo("A feed's token also opens its team's schedule page (`page:`).", err=err)
    if not all(link.new for link in links):
        click.echo(f"A URL with {publisher.HIDDEN} was shown when its token was made; "
                   "`slipwatch feeds rotate TEAM` makes a new one (the old one then gets 404).", err=err)


def _print_feed_urls(config: config_mod.Config) -> None:
    # the URLs hold secret tokens: shown to a person at a terminal (make run), never written to a log
    if not sys.stderr.isatty():
        click.echo("calendar feeds and schedule pages: `slipwatch feeds` lists their URLs", err=True)
        return
    _echo_links(_publishing(config.path, publisher.links), err=True)


@main.group(invoke_without_command=True)
@config_option
@click.pass_context
def feeds(ctx: click.Context, config_file: Path | None) -> None:
    """List the calendar feed URLs, one per team and `all`, as https and webcal links, and the schedule pages.

    A feed's URL holds a secret token, shown once, when it is made (here, for
    a feed that has none; or by `feeds rotate`): slipwatch keeps only its hash.
    """
    if ctx.invoked_subcommand is None:
        _echo_links(_publishing(config_file, publisher.links))


@feeds.command()
@click.argument("team")
@config_option
@click.pass_context
def rotate(ctx: click.Context, team: str, config_file: Path | None) -> None:
    """Give TEAM's feed (or `all`) and its schedule page a new URL; the old one stops working at once."""
    link = _publishing(config_file or ctx.parent.params["config_file"],  # type: ignore[union-attr]
                       lambda config, store: publisher.rotate(config, store, team))
    click.echo("new URL; the old one now gets 404 (subscribers must subscribe again):")
    _echo_links([link])


@main.group()
def feed() -> None:
    """Calendar feed files, without the daemon."""


@feed.command("write")
@click.option("--team", help="Only this team's feed (`all`: every team's); default: every feed.")
@click.option("--output", type=click.Path(path_type=Path),
              help="With --team a file or folder, else a folder (default: [feeds] directory).")
@as_of_option
@config_option
def feed_write(team: str | None, output: Path | None, as_of: str | None, config_file: Path | None) -> None:
    """Write feed files as the daemon would (<feed>.ics in the folder); prints their paths."""
    paths = _publishing(config_file, lambda config, store: publisher.write(
        config, store, _moment(as_of), team=team, output=output))
    for path in paths:
        click.echo(path)


@main.group()
def digest() -> None:
    """Preview and send a team's digest."""


@digest.command("preview")
@click.option("--team", required=True, help="The team whose digest to show.")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the HTML here.")
@as_of_option
@config_option
def digest_preview(team: str, html_file: Path | None, as_of: str | None, config_file: Path | None) -> None:
    """Print the digest the team would get now (or --as-of); nothing is sent or recorded."""
    config = _load(config_file)
    store = open_store(config)
    try:
        d = dispatch.preview(store, config, team, _moment(as_of))
    finally:
        store.close()
    mail = digest_mod.render(d, sender="preview@slipwatch", recipients=["preview@slipwatch"], message_id="<preview>")
    text, html = (part.get_content() for part in mail.iter_parts())
    click.echo(f"Subject: {d.subject}\n\n{text}")
    if html_file:
        html_file.write_text(html, encoding="utf-8")
        click.echo(f"HTML written to {html_file}", err=True)


@digest.command("send")
@click.option("--team", required=True, help="The team whose digest to send.")
@click.option("--now", "now_", is_flag=True, help="Send it now, whatever the schedule says.")
@config_option
def digest_send(team: str, now_: bool, config_file: Path | None) -> None:
    """Queue the team's digest (if due, or --now) and deliver the outbox."""
    config = _load(config_file)
    if config.smtp is None:
        raise click.ClickException(f"{config.path}: [smtp] is missing; digests need it")
    store = open_store(config)
    try:
        moment = clock.now()
        if now_:
            dispatch.queue_now(store, config, team, moment)
        else:
            click.echo(_slot_report(dispatch.queue_team(store, config, team, moment)))
        sender = outbox_mod.sender_for(config.smtp)
        sent, failed = outbox_mod.deliver(store, sender, moment)
    finally:
        store.close()
    _delivered(sender, sent, failed)
    if failed:
        raise click.ClickException("some mail was not sent; `slipwatch outbox` shows why")


def _slot_report(outcome: dispatch.SlotOutcome) -> str:
    team = outcome.team
    due = f"{outcome.next_slot.astimezone(ZoneInfo(team.timezone)):%a %d %b %Y %H:%M %Z} ({team.timezone})"
    if outcome.slot is None:
        return f"{team.name}: no digest is due yet; the next is due {due} (`--now` sends one now)"
    if outcome.started:
        return f"{team.name}: digests start with this slot (nothing was missed before); the first goes out {due}"
    if outcome.outbox is None:
        return (f"{team.name}: nothing to report this week, so no digest (send_empty_digest = true sends one "
                f"anyway); the next is due {due}")
    return f"{team.name}: this week's digest is queued; the next is due {due}"


def _delivered(sender: outbox_mod.Sender, sent: int, failed: int, err: bool = False) -> None:
    """How delivery went, and the .eml files written when the outbox is a folder."""
    click.echo(f"{sent} sent, {failed} failed", err=err)
    for path in sender.written if isinstance(sender, outbox_mod.FolderSender) else ():
        click.echo(f"wrote {path}", err=err)


@main.command()
@click.option("--retry", is_flag=True, help="Deliver every unsent mail now.")
@click.option("--json", "as_json", is_flag=True)
@config_option
def outbox(retry: bool, as_json: bool, config_file: Path | None) -> None:
    """Queued and sent digests, alerts, receipts and notices, with delivery errors."""
    config = _load(config_file)
    store = open_store(config)
    try:
        if retry:
            if config.smtp is None:
                raise click.ClickException(f"{config.path}: [smtp] is missing")
            outbox_mod.retry_now(store)
            sender = outbox_mod.sender_for(config.smtp)
            _delivered(sender, *outbox_mod.deliver(store, sender, clock.now()), err=True)
        rows = outbox_mod.rows(store)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("The outbox is empty: no digest or alert has been queued yet.")
    for r in rows:
        state = f"sent {r['sent_at']}" if r["sent_at"] else f"waiting (attempts {r['attempts']}): {r['last_error'] or '-'}"
        # a receipt or a notice goes to one person, not to a team
        whom = r["team"] or r["recipients"]
        click.echo(one_line(f"{r['id']:>4} {r['kind']:<12} {whom:<12} {r['message_id']}  {state}"))
