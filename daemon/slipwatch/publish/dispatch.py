"""Which digests and alerts are due, queued in the transaction that marks them done.

Each team's weekly slot is done once: the digest is rendered, given a fixed
Message-ID and put in the outbox in the same transaction that records the slot
in `digest_periods`. A crash before that commit leaves the slot due (it is
queued after the restart); a crash after it leaves the mail queued (it is sent
after the restart). A team's first slot only starts the record: nothing was
missed before slipwatch watched. After downtime only the latest missed slot is
due, covering everything since the last digest.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from email.policy import SMTP

from slipwatch.config import Config, TeamConfig
from slipwatch.errors import ConfigError
from slipwatch.publish import digest as digest_mod, schedule
from slipwatch.publish.outbox import enqueue
from slipwatch.store import Store
from slipwatch.clock import utcnow
from slipwatch.track import query
from slipwatch.track.timeline import slips

log = logging.getLogger(__name__)

#: Slips older than this are history, not news: a backlog ingested today raises no alerts.
ALERT_WINDOW = dt.timedelta(days=7)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "team"


def message_id(config: Config, *parts: str) -> str:
    """A Message-ID fixed by what the mail is, so a re-render after a crash has the same one."""
    return f"<slipwatch-{'-'.join(_slug(p) for p in parts)}@{config.organisation.domains[0]}>"


def last_digest(store: Store, team: str) -> tuple[dt.datetime, dt.datetime] | None:
    """(slot, covers_to) of the team's latest recorded slot."""
    row = store.conn.execute(
        "SELECT slot, covers_to FROM digest_periods WHERE team = ? ORDER BY slot DESC LIMIT 1", (team,)
    ).fetchone()
    return (dt.datetime.fromisoformat(row[0]), dt.datetime.fromisoformat(row[1])) if row else None


def team_digest(
    views: Sequence[query.MilestoneView], team: TeamConfig, since: dt.datetime, until: dt.datetime, **options
) -> digest_mod.Digest:
    return digest_mod.build(views, team=team.name, zone=team.timezone, since=since, until=until, **options)


def sender(config: Config) -> str:
    """The From address of the mail slipwatch sends."""
    assert config.smtp is not None
    return config.smtp.from_ or f"slipwatch@{config.organisation.domains[0]}"


def render(config: Config, team: TeamConfig, d: digest_mod.Digest, mid: str) -> bytes:
    # CRLF line ends: smtplib sends bytes as they are, and SMTP servers read lines by CRLF
    return digest_mod.render(d, sender=sender(config), recipients=team.digest_to, message_id=mid).as_bytes(policy=SMTP)


def queue_due(store: Store, config: Config, now: dt.datetime, feed_urls: dict[str, str] | None = None) -> list[int]:
    """Queue every due digest and slip alert; returns the outbox ids queued."""
    if config.smtp is None:
        return []
    views = query.load(store, as_of=now, teams=query.scopes(config.teams))
    queued = []
    for team in config.teams:
        if not team.digest_to:
            continue
        url = (feed_urls or {}).get(team.name)
        queued += _digest(store, config, team, views, now, url)
        if team.alert_slip_days > 0:
            queued += _alerts(store, config, team, views, now, url)
    return queued


def _digest(store, config, team, views, now, url) -> list[int]:
    previous = last_digest(store, team.name)
    slot = schedule.due_slot(team.digest_at, team.timezone, previous[0] if previous else None, now)
    if slot is None:
        return []
    since = previous[1] if previous else now
    d = team_digest(views, team, since, now, feed_url=url)
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
    return [outbox] if outbox else []


def _alerts(store, config, team, views, now, url) -> list[int]:
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
            d = team_digest([view], team, since, now, feed_url=url, sections=("slipped",))
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
    """The digest the team would get at `as_of`: since its last one (or a week), nothing queued."""
    team = find_team(config, team_name)
    previous = last_digest(store, team.name)
    since = previous[1] if previous and previous[1] < as_of else as_of - dt.timedelta(days=7)
    return team_digest(query.load(store, as_of=as_of, teams=query.scopes(config.teams)), team, since, as_of)


def queue_now(store: Store, config: Config, team_name: str, now: dt.datetime) -> int:
    """Queue the team's digest now, outside its schedule (covering the time since its last one)."""
    if config.smtp is None:
        raise ConfigError(f"{config.path}: [smtp] is missing; digests need it (kind = \"outbox\" writes files)")
    team = find_team(config, team_name)
    if not team.digest_to:
        raise ConfigError(f"{config.path}: team {team.name!r} has no digest_to addresses")
    d = preview(store, config, team.name, now)
    mid = message_id(config, "digest", team.name, "manual", f"{now:%Y%m%d%H%M%S}")
    with store.transaction() as conn:
        return enqueue(conn, team=team.name, period=f"manual:{now.isoformat()}", kind="digest", message_id=mid,
                       recipients=team.digest_to, raw=render(config, team, d, mid))
