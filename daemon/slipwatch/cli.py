"""The `slipwatch` command line: parse options, call one library function, report.

Domain errors (SlipwatchError) become click.ClickException with the message
the library wrote for the user; nothing here holds logic of its own.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from slipwatch import __version__, config as config_mod, logs, pipeline, service
from slipwatch.errors import SlipwatchError
from slipwatch.sources.files import read_paths
from slipwatch.store import Store
from slipwatch.store.queries import TeamScope, milestones as query_milestones

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
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Group)
@click.version_option(__version__, prog_name="slipwatch")
@click.option("--log-level", type=click.Choice(logs.LEVELS), default="info", show_default=True)
def main(log_level: str) -> None:
    """slipwatch: vendor status mail in, a schedule people can trust out."""
    logs.setup(log_level)


def _load(config_file: Path | None) -> config_mod.Config:
    return config_mod.load(config_file)


def _scopes(config: config_mod.Config) -> list[TeamScope]:
    return [TeamScope(t.name, t.vendors, t.projects, t.members) for t in config.teams]


@main.command("check-config")
@config_option
def check_config(config_file: Path | None) -> None:
    """Validate the config file and print what it sets up."""
    config = _load(config_file)
    for line in config_mod.summary(config):
        click.echo(line)
    click.echo("config OK")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@config_option
def ingest(paths: tuple[Path, ...], config_file: Path | None) -> None:
    """Store and read mail from .eml files, folders of them, Maildirs or mbox files."""
    config = _load(config_file)
    store = Store.open(config.store.path)
    try:
        messages = list(read_paths(list(paths)))
        flow = pipeline.Pipeline(store, config)
        many = len(messages) > 20
        with click.progressbar(messages, label="ingesting", file=sys.stderr) if many else nullcontext(messages) as bar:
            summary = pipeline.ingest(flow, bar)
    finally:
        store.close()
    click.echo(f"{summary.new} new, {summary.duplicate} duplicate, {summary.failed} failed")


@main.command()
@click.option("--once", is_flag=True, help="Do one pass over the source, then exit.")
@config_option
def run(once: bool, config_file: Path | None) -> None:
    """Run the daemon: watch the source and record every message."""
    config = _load(config_file)
    for line in config_mod.summary(config):
        click.echo(line, err=True)
    service.run(config, once=once)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (JSON Lines), as in RULES.md.")
def extract(files: tuple[Path, ...], as_json: bool) -> None:
    """Read mail files and print who wrote them, when, and their milestones."""
    for file in files:
        try:
            report: dict[str, Any] = {"file": str(file), **pipeline.extract_report(file.read_bytes())}
        except OSError as exc:
            report = {"file": str(file), "error": f"cannot read: {exc.strerror}"}
        if as_json:
            click.echo(json.dumps(report, ensure_ascii=False))
        else:
            click.echo(_describe(report))


def _describe(report: dict[str, Any]) -> str:
    if "error" in report:
        return f"{report['file']}: {report['error']}"
    lines = [
        report["file"],
        f"  from:         {report.get('from')}",
        f"  forwarded by: {report.get('forwarded_by')}",
        f"  sent:         {report.get('sent')}",
        f"  subject:      {report.get('subject')}",
    ]
    for m in report["milestones"]:
        moved = f" (was {m['previous_due']})" if m.get("previous_due") else ""
        lines.append(f"  - {m['name']} [{m.get('project') or '-'}]: {m['due']} {m['status']}{moved}")
    return "\n".join(lines)


@main.command()
@click.option("--state", type=click.Choice(["new", "processed", "failed", "quarantined"]))
@click.option("--json", "as_json", is_flag=True)
@config_option
def messages(state: str | None, as_json: bool, config_file: Path | None) -> None:
    """List stored messages and their state (failed ones with the reason)."""
    store = Store.open(_load(config_file).store.path)
    try:
        rows = store.messages(state)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        detail = r["error"] if r["state"] == "failed" else f"{r['author']} {r['sent']} {r['subject']!r}"
        click.echo(f"{r['id']:>5} {r['state']:<10} {r['message_id'] or '-'}  {detail}")
        for problem in json.loads(r["problems"] or "[]"):
            click.echo(f"{'':>16}problem: {problem}")


@main.command()
@click.option("--team", help="Only this team's milestones.")
@click.option("--vendor", help="Only this vendor's milestones.")
@click.option("--slipped", is_flag=True, help="Only milestones whose due date moved past the first one.")
@click.option("--json", "as_json", is_flag=True)
@config_option
def milestones(team: str | None, vendor: str | None, slipped: bool, as_json: bool, config_file: Path | None) -> None:
    """List milestones with their current due date and status."""
    config = _load(config_file)
    scopes = _scopes(config)
    scope = None
    if team:
        scope = next((s for s in scopes if s.name.casefold() == team.casefold()), None)
        if scope is None:
            raise click.ClickException(f"no team {team!r} in {config.path}; teams: {', '.join(s.name for s in scopes)}")
    store = Store.open(config.store.path)
    try:
        rows = query_milestones(store, vendor=vendor, team=scope, teams=scopes, slipped=slipped)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        slip = f" +{r['slip_days']}d" if r["slip_days"] > 0 else ""
        click.echo(f"{r['id']:>5} {r['vendor']:<18} {r['name']:<32} {r['due'] or '-':<22} {r['status']}{slip}")
