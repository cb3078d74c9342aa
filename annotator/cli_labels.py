"""``annotator labels`` and ``annotator guidelines``: a project's labels, relation types
and coding guidelines, from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli_common import fail_clearly
from annotator.core import Project
from annotator.core.labels import parse_label_spec
from annotator.core.relation_types import RelationType, check_scheme, parse_spec


def _ends(value: str) -> list[str]:
    """``QUOTE|HEDGE`` -> the labels; ``*`` or nothing: any label."""
    if value.strip() in ("", "*"):
        return []
    return [name.strip() for name in value.split("|") if name.strip()]


def _show_ends(labels: tuple[str, ...]) -> str:
    return "|".join(labels) or "*"


@click.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--add", "to_add", multiple=True, help="A new label: NAME[:#RRGGBB[:hotkey]].")
@click.option("--rename", nargs=2, multiple=True, metavar="OLD NEW", help="Rename a label.")
@click.option("--colour", nargs=2, multiple=True, metavar="NAME #RRGGBB", help="Recolour.")
@click.option("--hotkey", nargs=2, multiple=True, metavar="NAME KEY", help="Change a hotkey.")
@click.option("--describe", nargs=2, multiple=True, metavar="NAME TEXT", help="Describe.")
@click.option(
    "--move", nargs=2, multiple=True, metavar="NAME POSITION", help="Move a label (1 is first)."
)
@click.option(
    "--delete",
    "to_delete",
    multiple=True,
    metavar="NAME",
    help="Delete a label and its spans (after a backup).",
)
@click.option(
    "--add-relation",
    multiple=True,
    metavar="NAME:HEAD>CHILD[:#RRGGBB[:key]]",
    help="A new relation type, e.g. said-to:QUOTE>PERSON:#123456:t (HEAD|HEAD2 for several).",
)
@click.option("--rename-relation", nargs=2, multiple=True, metavar="OLD NEW")
@click.option("--relation-colour", nargs=2, multiple=True, metavar="NAME #RRGGBB")
@click.option("--relation-hotkey", nargs=2, multiple=True, metavar="NAME KEY")
@click.option("--describe-relation", nargs=2, multiple=True, metavar="NAME TEXT")
@click.option(
    "--relation-ends",
    nargs=3,
    multiple=True,
    metavar="NAME HEAD CHILD",
    help="The labels allowed at each end (A|B for several, * for any).",
)
@click.option(
    "--remove-relation", multiple=True, metavar="NAME", help="Remove a type and its relations."
)
@fail_clearly
def labels(
    project: Path,
    to_add: tuple[str, ...],
    rename: tuple[tuple[str, str], ...],
    colour: tuple[tuple[str, str], ...],
    hotkey: tuple[tuple[str, str], ...],
    describe: tuple[tuple[str, str], ...],
    move: tuple[tuple[str, str], ...],
    to_delete: tuple[str, ...],
    add_relation: tuple[str, ...],
    rename_relation: tuple[tuple[str, str], ...],
    relation_colour: tuple[tuple[str, str], ...],
    relation_hotkey: tuple[tuple[str, str], ...],
    describe_relation: tuple[tuple[str, str], ...],
    relation_ends: tuple[tuple[str, str, str], ...],
    remove_relation: tuple[str, ...],
) -> None:
    """List PROJECT's labels and relation types, or add, rename, recolour, re-key,
    describe, move and delete them.

    Renaming carries the label's spans (or the type's relations) along. Deleting a
    label deletes its spans, after a backup (`annotator backups` lists it). With
    no option, lists the labels and the relation types.

    \b
    Example:
      annotator labels study.annotator --add ORG:#D55E00:o --rename PLACE LOCATION
      annotator labels study.annotator --move HEDGE 1 --delete ORG
      annotator labels study.annotator --add-relation said-to:QUOTE>PERSON:#123456:t
      annotator labels study.annotator --relation-ends said-to 'QUOTE|HEDGE' '*'
    """
    # Read every spec before the file is opened: a bad one changes nothing.
    new_types = [parse_spec(spec) for spec in add_relation]
    positions: list[tuple[str, int]] = []
    for name, place in move:
        if not place.isdigit():
            raise click.ClickException(f"--move {name} {place}: the position is a number")
        positions.append((name, int(place)))
    label_specs = [label for spec in to_add for label in parse_label_spec(spec)]
    changing = any(
        (
            to_add,
            rename,
            colour,
            hotkey,
            describe,
            move,
            to_delete,
            add_relation,
            rename_relation,
            relation_colour,
            relation_hotkey,
            describe_relation,
            relation_ends,
            remove_relation,
        )
    )
    with Project.open(project, read_only=not changing) as opened:
        for spec in label_specs:
            opened.add_label(**spec)
        for old, new_name in rename:
            opened.rename_label(old, new_name)
        for name, value in colour:
            opened.recolour_label(name, value)
        for name, key in hotkey:
            opened.set_label_hotkey(name, key)
        for name, text in describe:
            opened.describe_label(name, text)
        for name, position in positions:
            opened.move_label(name, position)
        for name in to_delete:
            count, backup = opened.delete_label(name)
            click.echo(
                f"Deleted label {name} and its {count} span{'s' * (count != 1)}"
                f" (the project as it was is kept as {backup})",
                err=True,
            )
            for rtype in opened.relation_types():
                if name in (*rtype.head_labels, *rtype.child_labels):
                    click.echo(
                        f"Relation type {rtype.name} still names {name}: give it other ends"
                        f" (--relation-ends {rtype.name} HEAD CHILD) or remove it",
                        err=True,
                    )
        _change_relation_types(
            opened,
            new_types,
            rename_relation,
            relation_colour,
            relation_hotkey,
            describe_relation,
            relation_ends,
            remove_relation,
        )
        for digit, label in enumerate(opened.labels, start=1):
            keys = "/".join(k for k in (str(digit) if digit <= 9 else "", label.hotkey or "") if k)
            click.echo(f"{label.name:<12}{label.colour}  {keys:<5} {label.description}")
        types = opened.relation_types()
        if types:
            click.echo("relation types")
            for rtype in types:
                ends = f"{_show_ends(rtype.head_labels)} > {_show_ends(rtype.child_labels)}"
                click.echo(
                    f"  {rtype.name:<12}{rtype.colour}  {rtype.hotkey or '':<2} {ends:<22}"
                    f" {rtype.description}".rstrip()
                )


def _change_relation_types(
    opened: Project,
    new_types: list[RelationType],
    rename: tuple[tuple[str, str], ...],
    colour: tuple[tuple[str, str], ...],
    hotkey: tuple[tuple[str, str], ...],
    describe: tuple[tuple[str, str], ...],
    ends: tuple[tuple[str, str, str], ...],
    remove: tuple[str, ...],
) -> None:
    store = opened.relation_type_store
    label_names = [label.name for label in opened.labels]
    for rtype in new_types:
        check_scheme([*opened.relation_types(), rtype], label_names)
        opened.add_relation_type(rtype)
    for old, new_name in rename:
        store.rename(old, new_name)
    for name, value in colour:
        store.recolour(name, value)
    for name, key in hotkey:
        store.set_hotkey(name, key)
    for name, text in describe:
        store.describe(name, text)
    for name, head, child in ends:
        wanted = store.get(name)
        changed = RelationType(wanted.name, wanted.colour, tuple(_ends(head)), tuple(_ends(child)))
        check_scheme([changed], label_names)
        store.set_ends(name, _ends(head), _ends(child))
    for name in remove:
        count = store.remove(name)
        click.echo(
            f"Removed relation type {name} and its {count} relation{'s' * (count != 1)}",
            err=True,
        )


@click.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--set",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Store this Markdown file as the project's guidelines.",
)
@click.option("--show", is_flag=True, help="Print the guidelines.")
@click.option("--clear", is_flag=True, help="Remove the guidelines.")
@fail_clearly
def guidelines(project: Path, source: Path | None, show: bool, clear: bool) -> None:
    """Store PROJECT's coding guidelines (one Markdown file), or print them.

    The window shows them beside the article (F4); `annotator handout` gives each
    coder a copy.

    \b
    Example:
      annotator guidelines study.annotator --set guide.md
      annotator guidelines study.annotator --show
    """
    if source is not None and clear:
        raise click.UsageError("--set and --clear: choose one")
    text = None
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise click.ClickException(f"{source}: not UTF-8 text; nothing was stored") from None
        except OSError as exc:
            raise click.ClickException(
                f"{source}: cannot read it ({exc.strerror}); nothing was stored"
            ) from None
        if "\x00" in text:
            raise click.ClickException(f"{source}: not a text file; nothing was stored")
    changing = source is not None or clear
    with Project.open(project, read_only=not changing) as opened:
        if text is not None:
            opened.set_guidelines(text)
            click.echo(f"Stored {source} as the guidelines of {project}", err=True)
        elif clear:
            opened.set_guidelines("")
            click.echo(f"Removed the guidelines of {project}", err=True)
        if show or not changing:
            current = opened.guidelines
            if current:
                click.echo(current, nl=not current.endswith("\n"))
            elif not changing:
                click.echo(
                    f"{project} has no guidelines yet (annotator guidelines"
                    f" {project} --set guide.md)",
                    err=True,
                )
