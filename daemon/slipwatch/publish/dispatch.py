"""Which digests and alerts are due, queued in the transaction that marks them done.

Each team's weekly slot is done once: the digest is rendered, given a fixed
Message-ID and put in the outbox in the same transaction that records the slot
in `digest_periods`. A crash before that commit leaves the slot due (it is
queued after the restart); a crash after it leaves the mail queued (it is sent
after the restart). A team's first slot only starts the record: nothing was
missed before slipwatch watched. A digest covers the time since the last one,
and the first one a team gets (like any digest sent with `--now`) the past
week. After downtime only the latest missed slot is due, covering everything
since the last digest.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.policy import SMTP

from slipwatch.config import Config, TeamConfig
from slipwatch.errors import ConfigError
from slipwatch.publish import digest as digest_mod, schedule
from slipwatch.publish.outbox import enqueue
from slipwatch.store import Store
from slipwatch.clock import utcnow
from slipwatch.store.migrations import utc_key
from slipwatch.track import query
from slipwatch.track.timeline import slips

log = logging.getLogger(__name__)

#: Slips older than this are history, not news: a backlog ingested today raises no alerts.
ALERT_WINDOW = dt.timedelta(days=7)
#: What a digest covers when there is no last one to start from: the first a team gets, and `--now`.
WEEK = dt.timedelta(days=7)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "team"


def message_id(config: Config, *parts: str) -> str:
    """A Message-ID fixed by what the mail is, so a re-render after a crash has the same one."""
    return f"<slipwatch-{'-'.join(_slug(p) for p in parts)}@{config.organisation.domains[0]}>"


@dataclass(frozen=True)
class Period:
    """A team's recorded weekly slot and the time its digest covered."""

    slot: dt.datetime
    covers_from: dt.datetime
    covers_to: dt.datetime


def last_digest(store: Store, team: str) -> Period | None:
    """The team's latest recorded slot."""
    row = store.conn.execute(
        "SELECT slot, covers_from, covers_to FROM digest_periods WHERE team = ? ORDER BY slot DESC LIMIT 1", (team,)
    ).fetchone()
    return Period(*(dt.datetime.fromisoformat(v) for v in row)) if row else None


def covers_from(previous: Period | None, now: dt.datetime) -> dt.datetime:
    """Where a team's next digest starts: where its last one ended, and the first one a week back.

    The slot that started the record covered nothing (it ends where it
    began); the first digest after it reaches back a week, however soon
    after the start its slot came.
    """
    if previous is None:
        return now - WEEK
    if previous.covers_from == previous.covers_to:
        return min(previous.covers_to, now - WEEK)
    return previous.covers_to


@dataclass(frozen=True)
class SlotOutcome:
    """What became of a team's weekly slot at one moment."""

    team: TeamConfig
    slot: dt.datetime | None  # the slot done now; None when none was due
    started: bool  # the slot only started the record (the team's first)
    outbox: int | None  # the digest queued, if any
    next_slot: dt.datetime  # when the team's next digest is due


def team_digest(
    store: Store, config: Config, views: Sequence[query.MilestoneView], team: TeamConfig, since: dt.datetime,
    until: dt.datetime, **options
) -> digest_mod.Digest:
    """The team's digest, each line linked to its milestone's page."""
    from slipwatch.publish import publisher  # with the feed server it brings: commands that list need neither

    spec = publisher.spec_for(config, team.slug)
    pages = publisher.page_roots(config, store, [spec])[spec.slug]
    return digest_mod.build(views, team=team.name, zone=team.timezone, since=since, until=until, pages=pages,
                            **options)


def sender(config: Config) -> str:
    """The From address of the mail slipwatch sends."""
    assert config.smtp is not None
    return config.smtp.from_ or f"slipwatch@{config.organisation.domains[0]}"


def render(config: Config, team: TeamConfig, d: digest_mod.Digest, mid: str) -> bytes:
    # CRLF line ends: smtplib sends bytes as they are, and SMTP servers read lines by CRLF
    return digest_mod.render(d, sender=sender(config), recipients=team.digest_to, message_id=mid).as_bytes(policy=SMTP)


def queue_due(store: Store, config: Config, now: dt.datetime, live: query.LiveViews | None = None) -> list[int]:
    """Queue every due digest and slip alert; returns the outbox ids queued.

    Called on every poll: the milestones are loaded only when a team's slot is due (the digest periods
    say so) or the schedule changed since alerts were last looked for; from `live` (the daemon's, which
    the feeds keep current) only those that changed.
    """
    if config.smtp is None:
        return []
    views = functools.cache(lambda: live.at(now) if live is not None else _views(store, config, now))
    queued = []
    teams = [t for t in config.teams if t.digest_to]
    for team in teams:
        outcome = _digest(store, config, team, views, now)
        if outcome.outbox:
            queued.append(outcome.outbox)
    alerting = [t for t in teams if t.alert_slip_days > 0]
    if alerting and _alerts_may_be_due(store):
        for team in alerting:
            queued += _alerts(store, config, team, views(), now)
        _alerts_looked_for(store, now)
    return queued


def _digest(store: Store, config: Config, team: TeamConfig, views: Callable[[], list[query.MilestoneView]],
            now: dt.datetime) -> SlotOutcome:
    previous = last_digest(store, team.name)
    slot = schedule.due_slot(team.digest_at, team.timezone, previous.slot if previous else None, now)
    next_slot = schedule.next_slot(team.digest_at, team.timezone, now)
    if slot is None:
        return SlotOutcome(team, None, False, None, next_slot)
    # the team's first slot covers nothing: it starts the record
    since = covers_from(previous, now) if previous else now
    d = team_digest(store, config, views(), team, since, now)
    send = previous is not None and (not d.empty or team.send_empty_digest)
    with store.transaction() as conn:
        outbox = None
        if send:
            mid = message_id(config, "digest", team.name, f"{slot:%Y%m%d%H%M}")
            outbox = enqueue(conn, team=team.name, period=slot.isoformat(), kind="digest", message_id=mid,
                             recipients=team.digest_to, raw=render(config, team, d, mid))
        conn.execute(
            "INSERT INTO digest_periods (team, slot, covers_from, covers_to, outbox, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (team.name, slot.isoformat(), since.isoformat(), now.isoformat(), outbox, utcnow()),
        )
    if previous is None:
        log.info("digests for %s start with slot %s; the first one goes out at the next slot", team.name, slot)
    else:
        log.info("digest for %s, slot %s: %s", team.name, slot, "queued" if send else "nothing to report")
    return SlotOutcome(team, slot, previous is None, outbox, next_slot)


# database file -> the schedule (every vendor's identity token, which any change of its milestones renews:
# store/migrations.py) when alerts were last looked for with every revision then known
_ALERTS_LOOKED_FOR: dict[str, str] = {}


def _schedule(store: Store) -> str:
    return store.conn.execute(
        "SELECT group_concat(hex(identity_token) || ':' || coalesce(timezone, ''), ',')"
        " FROM (SELECT identity_token, timezone FROM vendors ORDER BY id)"
    ).fetchone()[0] or ""


def _alerts_may_be_due(store: Store) -> bool:
    """False when nothing changed since alerts were last looked for: a slip alert comes from a revision,
    so none can be due that was not queued then."""
    return _ALERTS_LOOKED_FOR.get(str(store.path)) != _schedule(store)


def _alerts_looked_for(store: Store, now: dt.datetime) -> None:
    newest = store.conn.execute("SELECT max(sent_utc) FROM milestone_revisions").fetchone()[0] or ""
    if newest <= utc_key(now):
        _ALERTS_LOOKED_FOR[str(store.path)] = _schedule(store)
    else:  # a revision sent later than now (a clock a little ahead) counts only from then: look again
        _ALERTS_LOOKED_FOR.pop(str(store.path), None)


def _alerts(store, config, team, views, now) -> list[int]:
    queued = []
    for view in views:
        if team.name not in view.teams:
            continue
        for slip in slips(view.revisions):
            if slip.days < team.alert_slip_days or slip.revision.sent < now - ALERT_WINDOW:
                continue
            period = f"alert:{slip.revision.id}"
            if store.conn.execute("SELECT 1 FROM outbox WHERE team = ? AND period = ?", (team.name, period)).fetchone():
                continue
            since = slip.revision.sent - dt.timedelta(microseconds=1)
            d = team_digest(store, config, [view], team, since, now, sections=("slipped",))
            mid = message_id(config, "alert", team.name, str(slip.revision.id))
            with store.transaction() as conn:
                queued.append(enqueue(conn, team=team.name, period=period, kind="alert", message_id=mid,
                                      recipients=team.digest_to, raw=render(config, team, d, mid)))
    return queued


def find_team(config: Config, name: str) -> TeamConfig:
    team = next((t for t in config.teams if t.name.casefold() == name.casefold()), None)
    if team is None:
        raise ConfigError(f"{config.path}: no team {name!r}; teams: {', '.join(t.name for t in config.teams) or 'none'}")
    return team


def preview(store: Store, config: Config, team_name: str, as_of: dt.datetime) -> digest_mod.Digest:
    """The digest the team would get at `as_of`: since its last one (the first, a week back); nothing queued."""
    team = find_team(config, team_name)
    since = covers_from(last_digest(store, team.name), as_of)
    if since >= as_of:  # as of a moment before the last digest
        since = as_of - WEEK
    return team_digest(store, config, _views(store, config, as_of), team, since, as_of)


def _views(store: Store, config: Config, as_of: dt.datetime) -> list[query.MilestoneView]:
    return query.load(store, as_of=as_of, teams=query.scopes(config.teams))


def _digest_team(config: Config, team_name: str) -> TeamConfig:
    """The team, when digests can be sent to it."""
    if config.smtp is None:
        raise ConfigError(f"{config.path}: [smtp] is missing; digests need it (kind = \"outbox\" writes files)")
    team = find_team(config, team_name)
    if not team.digest_to:
        raise ConfigError(f"{config.path}: team {team.name!r} has no digest_to addresses; list whom to send it to")
    return team


def queue_team(store: Store, config: Config, team_name: str, now: dt.datetime) -> SlotOutcome:
    """Do the team's weekly slot if it is due (queue its digest, or record a quiet week)."""
    team = _digest_team(config, team_name)
    return _digest(store, config, team, lambda: _views(store, config, now), now)


def queue_now(store: Store, config: Config, team_name: str, now: dt.datetime) -> int:
    """Queue the team's digest now, outside its schedule, covering the past week."""
    team = _digest_team(config, team_name)
    d = team_digest(store, config, _views(store, config, now), team, now - WEEK, now)
    mid = message_id(config, "digest", team.name, "manual", f"{now:%Y%m%d%H%M%S}")
    with store.transaction() as conn:
        return enqueue(conn, team=team.name, period=f"manual:{now.isoformat()}", kind="digest", message_id=mid,
                       recipients=team.digest_to, raw=render(config, team, d, mid))
