"""The documentation is held to the code: README.md says what slipwatch is and
how to start, docs/ holds the reference, and these tests fail when the
reference falls behind (a command, an option or a config key added without
documenting it) or when a link between the pages breaks."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path

import pytest
from cogapp import Cog

from slipwatch import config as config_mod
from slipwatch.errors import ConfigError
from tests.helpers import CONFIG

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CLI_DOC = DOCS / "cli.md"
CONFIG_DOC = DOCS / "configuration.md"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
REGENERATE = ".venv/bin/cog -r docs/cli.md"


# -- the command-line reference ------------------------------------------------


def cog_check(path: Path) -> tuple[int, str]:
    """Run `cog --check` on a file: 0 when its generated parts are what the code generates now."""
    out = io.StringIO()
    cog = Cog()
    cog.set_output(stdout=out, stderr=out)
    status = cog.main(["cog", "--check", "--diff", str(path)])
    return status, out.getvalue()


def test_the_cli_reference_is_what_the_commands_say_now():
    status, output = cog_check(CLI_DOC)
    assert status == 0, (
        f"docs/cli.md is out of date with the commands in daemon/slipwatch/cli.py; regenerate it with\n"
        f"    {REGENERATE}\nand commit it. What changed:\n{output}"
    )


def test_a_stale_cli_reference_is_noticed(tmp_path):
    stale = tmp_path / "cli.md"
    text = CLI_DOC.read_text(encoding="utf-8")
    once = "  --once         Do one pass over the source, then exit.\n"
    assert once in text
    stale.write_text(text.replace(once, ""), encoding="utf-8")  # as if `run --once` were new
    status, output = cog_check(stale)
    assert status != 0
    assert "--once" in output


def reference_commands(text: str) -> list[str]:
    """The commands docs/cli.md's generated reference has a heading for."""
    return re.findall(r"^### `(slipwatch[\w -]*)`$", text, flags=re.MULTILINE)


def overview_gaps(text: str) -> list[str]:
    """Commands of the reference that the table at the top of docs/cli.md does not link to.

    A group such as `slipwatch digest` counts as linked through its subcommands' rows.
    """
    table = text.split("\n## Reference\n", 1)[0]
    return [
        command
        for command in reference_commands(text)[1:]  # the first is `slipwatch` itself, with the global options
        if f"](#{anchor(command)})" not in table and f"](#{anchor(command)}-" not in table
    ]


def test_every_command_has_a_row_in_the_cli_overview():
    text = CLI_DOC.read_text(encoding="utf-8")
    assert "slipwatch feeds rotate" in reference_commands(text)
    gaps = overview_gaps(text)
    assert not gaps, (
        f"docs/cli.md: {', '.join(gaps)} has no row in the table at the top; add one saying what it does, "
        f"linked to its reference like [`slipwatch run [--once]`](#slipwatch-run)"
    )


def test_a_command_missing_from_the_overview_is_named():
    text = textwrap.dedent("""\
        | [`slipwatch run`](#slipwatch-run) | the daemon |
        | [`slipwatch digest send`](#slipwatch-digest-send) | queue the team's digest |

        ## Reference

        ### `slipwatch`

        ### `slipwatch run`

        ### `slipwatch feeds rotate`

        ### `slipwatch digest`

        ### `slipwatch digest send`
        """)
    assert overview_gaps(text) == ["slipwatch feeds rotate"]


# -- the configuration reference ------------------------------------------------


def documented_keys(text: str) -> dict[str, set[str]]:
    """The keys docs/configuration.md lists, by section: a `## [section]` heading, then one table row per key."""
    keys: dict[str, set[str]] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            heading = re.fullmatch(r"## `\[{1,2}(\w+)\]{1,2}`", line)
            section = heading[1] if heading else None
            if section:
                keys.setdefault(section, set())
        elif section and (row := re.match(r"\| `(\w+)` \|", line)):
            keys[section].add(row[1])
    return keys


def config_doc_problems(text: str, accepted: dict[str, tuple[str, ...]]) -> list[str]:
    """What docs/configuration.md leaves out of, or adds to, the keys the loader accepts."""
    documented = documented_keys(text)
    doc, loader = "docs/configuration.md", "daemon/slipwatch/config.py"
    problems = []
    for section, keys in accepted.items():
        if section not in documented:
            problems.append(f"{doc} has no section for [{section}], which {loader} accepts; add a "
                            f"`## [{section}]` heading with a table of its keys")
            continue
        for key in keys:
            if key not in documented[section]:
                problems.append(f"{doc}: [{section}] {key} is accepted by {loader} but not documented; "
                                f"add a row for `{key}` to the [{section}] table in {doc}")
    for section, keys in documented.items():
        if section not in accepted:
            problems.append(f"{doc} documents a section [{section}] that {loader} does not accept; "
                            f"remove it or fix its name")
            continue
        for key in sorted(keys - set(accepted[section])):
            problems.append(f"{doc}: [{section}] {key} is documented but {loader} does not accept it; "
                            f"remove its row or fix its name")
    return problems


def test_every_config_key_is_documented_and_every_documented_key_exists():
    problems = config_doc_problems(CONFIG_DOC.read_text(encoding="utf-8"), config_mod.accepted_keys())
    assert not problems, "\n".join(problems)


def test_a_missing_or_unknown_config_key_is_named_with_the_file_to_edit():
    text = textwrap.dedent("""\
        ## `[store]`

        | key | meaning | default |
        | --- | --- | --- |
        | `path` | the SQLite database | required |
        | `pth` | a typo | |
        """)
    problems = config_doc_problems(text, {"store": ("path", "busy_timeout_seconds"), "feeds": ("listen",)})
    assert problems == [
        "docs/configuration.md: [store] busy_timeout_seconds is accepted by daemon/slipwatch/config.py but not "
        "documented; add a row for `busy_timeout_seconds` to the [store] table in docs/configuration.md",
        "docs/configuration.md has no section for [feeds], which daemon/slipwatch/config.py accepts; "
        "add a `## [feeds]` heading with a table of its keys",
        "docs/configuration.md: [store] pth is documented but daemon/slipwatch/config.py does not accept it; "
        "remove its row or fix its name",
    ]


@pytest.mark.parametrize("section", sorted(config_mod.accepted_keys()))
def test_the_accepted_keys_are_the_ones_the_loader_checks_against(section, write_config):
    """A wrong key in any section is refused with the keys accepted_keys() lists for it, no more, no less."""
    header = next((h for h in (f"[[{section}]]", f"[{section}]") if f"\n{h}\n" in CONFIG), None)
    if header:
        text = CONFIG.replace(f"\n{header}\n", f"\n{header}\nno_such_key = 1\n", 1)
    else:
        text = f"{CONFIG}\n[{section}]\nno_such_key = 1\n"
    with pytest.raises(ConfigError, match="unknown key; expected one of ") as raised:
        config_mod.load(write_config(text))
    expected = raised.value.args[0].rsplit("expected one of ", 1)[1]
    assert expected.split(", ") == sorted(config_mod.accepted_keys()[section])


# -- links between the pages ------------------------------------------------------


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def prose(text: str) -> str:
    """A page without the parts that hold no headings or links: comments (cog's code) and code blocks."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    return re.sub(r"^```.*?^```", "", text, flags=re.DOTALL | re.MULTILINE)


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6} (.+)$", prose(page.read_text(encoding="utf-8")), flags=re.MULTILINE):
        slug = anchor(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
    return {slug if i == 0 else f"{slug}-{i}" for slug, n in seen.items() for i in range(n)}


def broken_links(page: Path) -> list[str]:
    """Relative links (and images) on a page whose file or #anchor does not exist."""
    broken = []
    text = re.sub(r"`[^`\n]*`", "", prose(page.read_text(encoding="utf-8")))  # `[a](b)` in code is no link
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):  # https:, mailto:: not ours to check
            continue
        file, _, fragment = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists():
            broken.append(f"{page.name}: {target}: no such file")
        elif fragment and fragment not in anchors(linked):
            broken.append(f"{page.name}: {target}: no heading makes the anchor #{fragment} in {linked.name}")
    return broken


def test_every_link_between_readme_and_docs_resolves():
    broken = [problem for page in PAGES for problem in broken_links(page)]
    assert not broken, "\n".join(broken)


def test_every_page_of_docs_is_linked_from_the_readme():
    readme = prose((ROOT / "README.md").read_text(encoding="utf-8"))
    unlinked = [p.name for p in PAGES[1:] if f"](docs/{p.name})" not in readme]
    assert not unlinked, f"README.md does not link to {', '.join(unlinked)}; add it to the list under 'Read more'"


def test_a_broken_link_or_anchor_is_reported(tmp_path):
    (tmp_path / "feeds.md").write_text("# Calendar feeds\n\n## The URLs\n")
    page = tmp_path / "README.md"
    page.write_text(textwrap.dedent("""\
        # slipwatch

        [feeds](feeds.md), [tokens](feeds.md#the-urls), [here](#slipwatch), [web](https://example.com/x.md)
        [gone](imap.md), [nowhere](feeds.md#tokens), `[not a link](nope.md)`

        ```
        [in code](nope.md)
        ```
        """))
    assert broken_links(page) == [
        "README.md: imap.md: no such file",
        "README.md: feeds.md#tokens: no heading makes the anchor #tokens in feeds.md",
    ]


def test_anchors_are_made_like_githubs():
    assert anchor("`[[teams]]`") == "teams"
    assert anchor("`slipwatch feeds rotate`") == "slipwatch-feeds-rotate"
    assert anchor("Hostile mail and trust") == "hostile-mail-and-trust"

