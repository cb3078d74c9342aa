"""The ``annotator`` command. With no argument (or a project path) it opens the window."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from annotator import __version__
from annotator.core import AnnotatorError, Project
from annotator.core.labels import load_label_file, parse_label_spec
from annotator.core.model import STATUSES

F = TypeVar("F", bound=Callable[..., Any])


class AnnotatorGroup(click.Group):
    """``annotator PROJECT`` is short for ``annotator open PROJECT``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["open", *args]
        return super().parse_args(ctx, args)


def fail_clearly(func: F) -> F:
    """Show the core's refusals as one clear line and exit 1, never a traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AnnotatorError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # a file the core did not expect to fail: one line naming it
            raise click.ClickException(_os_error_line(exc)) from None
        except sqlite3.Error as exc:
            name = kwargs.get("project") or "the project"
            raise click.ClickException(
                f"{name}: SQLite says {exc}; check that the folder exists, that you may write "
                "there and that the disk is not full"
            ) from None
        except KeyboardInterrupt:
            raise click.Abort() from None

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


def _os_error_line(exc: OSError) -> str:
    import errno

    from annotator.core.errors import cannot_write

    name = exc.filename or "a file"
    if exc.errno == errno.ENOENT:
        return f"{name}: does not exist; check the path"
    if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS, errno.EDQUOT):
        return str(cannot_write(name, exc))
    return f"{name}: {exc.strerror or exc}; check the path and that you may write there"


PROJECT = click.argument("project", type=click.Path(dir_okay=False, path_type=Path))


@click.group(cls=AnnotatorGroup, invoke_without_command=True)
@click.version_option(__version__, prog_name="annotator")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Label spans of news articles: PERSON, PLACE, QUOTE, HEDGE and your own labels.

    With no command, opens the window on the last project (the sample project
    on first run).

    \b
    Example:
      annotator new study.annotator
      annotator add study.annotator articles/
      annotator study.annotator            # opens the window
      annotator export study.annotator -o spans.jsonl --status done
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_command, project=None)


@cli.command("open")
@click.argument("project", required=False, type=click.Path(dir_okay=False, path_type=Path))
def open_command(project: Path | None) -> None:
    """Open the window on PROJECT (the last one, or the sample, when none is given).

    \b
    Example:
      annotator open study.annotator
    """
    from annotator.app import main as run_window

    sys.exit(run_window(project))


@cli.command()
@PROJECT
@click.option("--labels", "label_spec", help="Labels, comma separated: NAME[:#RRGGBB[:hotkey]].")
@click.option(
    "--label-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A JSON list of labels, or one label name a line.",
)
@fail_clearly
def new(project: Path, label_spec: str | None, label_file: Path | None) -> None:
    """Create an empty PROJECT file (default labels PERSON, PLACE, QUOTE, HEDGE).

    \b
    Example:
      annotator new study.annotator --labels PERSON,ORG:#D55E00:o,EVENT
    """
    labels = None
    try:
        if label_file:
            labels = load_label_file(label_file)
        if label_spec:
            labels = (labels or []) + parse_label_spec(label_spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    with Project.create(project, labels) as created:
        names = ", ".join(label.name for label in created.labels)
    click.echo(f"Created {project} with labels {names}")


def progress(items: Iterable[Any], label: str) -> Any:
    """A progress bar on a terminal; nothing in a pipe or a log."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext(items)
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True)


def _format_choice(direction: str) -> click.Choice:
    from annotator.core.formats import FORMATS

    return click.Choice([f.name for f in FORMATS.values() if getattr(f, direction)])


OFFSETS = click.option(
    "--offsets",
    type=click.Choice(["codepoints", "utf16"]),
    help="How doccano/Label Studio offsets count: utf16 for files whose spans drift after emoji.",
)


@cli.command()
@PROJECT
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=_format_choice("read"), help="Format of PATHS (default: by extension)."
)
@OFFSETS
@fail_clearly
def add(project: Path, paths: tuple[Path, ...], fmt: str | None, offsets: str | None) -> None:
    """Import documents into PROJECT: .txt/.md files, folders of them, our .jsonl,
    or another tool's files (Prodigy, doccano, brat, Label Studio: see --format).

    Everything is imported or nothing: a bad file or line stops the import and
    names it. Documents already in the project are skipped and counted.

    \b
    Example:
      annotator add study.annotator projects/kim-train-to-russia.txt
      annotator add study.annotator articles/ more.jsonl
      annotator add study.annotator brat-corpus/            # a folder of .txt + .ann
      annotator add study.annotator doccano.jsonl --format doccano --offsets utf16
    """
    from annotator.core.formats import read_inputs
    from annotator.core.importing import ImportTally

    passed_over: list[str] = []
    tally = ImportTally()
    with Project.open(project) as opened:
        documents = tally.count(
            read_inputs(paths, fmt, passed_over=passed_over, offsets=offsets), opened.conn
        )
        try:
            with progress(documents, "Importing") as bar:
                report = opened.add_documents(bar)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    click.echo(
        f"Added {_count(report.added, 'document')}, {_count(report.spans, 'span')} and "
        f"{_count(report.relations, 'relation')}."
    )
    if report.skipped_duplicates:
        held = ""
        if tally.known_documents_spans or tally.known_documents_relations:
            held = (
                f" (with {_count(tally.known_documents_spans, 'span')} and "
                f"{_count(tally.known_documents_relations, 'relation')}, not imported)"
            )
        click.echo(
            f"Skipped {_count(report.skipped_duplicates, 'document')} already in the project{held}."
        )
    repeated = tally.spans - report.spans
    if repeated > 0:
        click.echo(f"Not imported: {_count(repeated, 'span')} repeating another span exactly.")
    if passed_over:
        shown = ", ".join(passed_over[:5]) + (", ..." if len(passed_over) > 5 else "")
        click.echo(
            f"Passed over {_count(len(passed_over), 'file')} of a kind not imported, "
            f"hidden or linked: {shown}"
        )
    if report.new_labels:
        click.echo(f"New labels: {', '.join(report.new_labels)}")


@cli.command()
@PROJECT
@click.option("-o", "--output", required=True, help="Output file, or - for standard output.")
@click.option("--status", type=click.Choice(STATUSES), help="Only documents with this status.")
@click.option("--label", "labels", multiple=True, help="Only spans with this label (repeatable).")
@click.option(
    "--format", "fmt", type=_format_choice("write"), help="Output format (default: by extension)."
)
@OFFSETS
@click.option("--layer", help="CoNLL: the labels to tag, comma separated (default: all).")
@fail_clearly
def export(
    project: Path,
    output: str,
    status: str | None,
    labels: tuple[str, ...],
    fmt: str | None,
    offsets: str | None,
    layer: str | None,
) -> None:
    """Export PROJECT: our JSONL by default (one document a line, with its spans
    and relations), or another tool's format (see --format, docs/formats.md).

    Offsets are code points, end exclusive: text[start:end] == span text. What a
    format cannot hold is counted on standard error.

    \b
    Example:
      annotator export study.annotator -o spans.jsonl --status done --label PERSON
      annotator export study.annotator -o train.spacy
      annotator export study.annotator -o ner.conll --layer PERSON,PLACE
      annotator export study.annotator -o brat-corpus --format brat
    """
    from annotator.core.formats import write_output

    with Project.open(project, read_only=True) as opened:
        try:
            report = write_output(
                opened,
                output,
                fmt,
                status=status,
                labels=labels or None,
                offsets=offsets,
                layer=layer,
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    for reason, count in report.lost.items():
        click.echo(f"{count} {reason}", err=True)
    if output != "-":
        count = report.documents
        click.echo(f"Wrote {count} document{'s' * (count != 1)} to {output}", err=True)


@cli.command()
@PROJECT
@fail_clearly
def stats(project: Path) -> None:
    """Documents by status, spans by label and by annotator.

    \b
    Example:
      annotator stats study.annotator
    """
    with Project.open(project, read_only=True) as opened:
        figures = opened.stats()
    click.echo(_count(figures["documents"], "document"))
    for status, count in figures["by_status"].items():
        click.echo(f"  {status:<10}{count:>8}")
    click.echo(_count(figures["spans"], "span"))
    for label, count in figures["by_label"].items():
        click.echo(f"  {label:<10}{count:>8}")
    if figures["by_annotator"]:
        click.echo("by annotator")
        for name, count in figures["by_annotator"].items():
            click.echo(f"  {name:<10}{count:>8}")
    click.echo(_count(figures["relations"], "relation"))


@cli.command("list")
@PROJECT
@click.option("--status", type=click.Choice(STATUSES), help="Only documents with this status.")
@fail_clearly
def list_command(project: Path, status: str | None) -> None:
    """List PROJECT's documents: id, status, spans, name.

    \b
    Example:
      annotator list study.annotator --status todo
    """
    with Project.open(project, read_only=True) as opened:
        ids = opened.document_ids(status)
        for chunk in _chunks(ids, 500):
            for summary in opened.summaries(chunk):
                click.echo(
                    f"{summary.id:>6}  {summary.status:<8}{summary.span_count:>6}  {summary.name}"
                )


@cli.command()
@PROJECT
@click.option("--add", "to_add", multiple=True, help="A new label: NAME[:#RRGGBB[:hotkey]].")
@click.option("--rename", nargs=2, multiple=True, metavar="OLD NEW", help="Rename a label.")
@click.option("--colour", nargs=2, multiple=True, metavar="NAME #RRGGBB", help="Recolour.")
@click.option("--hotkey", nargs=2, multiple=True, metavar="NAME KEY", help="Change a hotkey.")
@click.option("--describe", nargs=2, multiple=True, metavar="NAME TEXT", help="Describe.")
@fail_clearly
def labels(
    project: Path,
    to_add: tuple[str, ...],
    rename: tuple[tuple[str, str], ...],
    colour: tuple[tuple[str, str], ...],
    hotkey: tuple[tuple[str, str], ...],
    describe: tuple[tuple[str, str], ...],
) -> None:
    """List PROJECT's labels, or add, rename, recolour and describe them.

    Renaming carries the label's spans along. With no option, lists the labels.

    \b
    Example:
      annotator labels study.annotator --add ORG:#D55E00:o --rename PLACE LOCATION
    """
    changing = any((to_add, rename, colour, hotkey, describe))
    with Project.open(project, read_only=not changing) as opened:
        for spec in to_add:
            for label in parse_label_spec(spec):
                opened.add_label(**label)
        for old, new_name in rename:
            opened.rename_label(old, new_name)
        for name, value in colour:
            opened.recolour_label(name, value)
        for name, key in hotkey:
            opened.set_label_hotkey(name, key)
        for name, text in describe:
            opened.describe_label(name, text)
        for digit, label in enumerate(opened.labels, start=1):
            keys = "/".join(k for k in (str(digit) if digit <= 9 else "", label.hotkey or "") if k)
            click.echo(f"{label.name:<12}{label.colour}  {keys:<5} {label.description}")


@cli.command()
@PROJECT
@fail_clearly
def check(project: Path) -> None:
    """Check PROJECT: SQLite's integrity check, then every span against its text.

    Exits with status 1 and lists the problems when there are any. Safe while
    the project is open in the window (it only reads).

    \b
    Example:
      annotator check study.annotator
    """
    from annotator.core.check import check_file

    problems = check_file(project)
    if not problems:
        click.echo(f"{project}: no problems found")
        return
    for problem in problems:
        click.echo(f"{project}: {problem}")
    advice = ""
    if _is_our_project(project):
        advice = f" To go back to a sound copy: annotator backups {project}"
    click.echo(f"{_count(len(problems), 'problem')} found.{advice}", err=True)
    sys.exit(1)


def _is_our_project(path: Path) -> bool:
    """Whether the file's header says it is one of our projects (its content may be damaged)."""
    from annotator.core import schema

    try:
        return schema.read_header(path)[0] == schema.APPLICATION_ID
    except AnnotatorError:
        return False


@cli.command()
@PROJECT
@click.option("--now", "take_now", is_flag=True, help="Take a backup now, then list.")
@fail_clearly
def backups(project: Path, take_now: bool) -> None:
    """List PROJECT's backups, newest first (numbered for `annotator restore`).

    \b
    Example:
      annotator backups study.annotator
      annotator backups study.annotator --now
    """
    from annotator.core.backup import Backups, verify_backup

    store = Backups(project)
    if take_now:
        verify_backup(project)
        click.echo(f"Backed up to {store.take(project)}")
    found = store.list()
    if not found:
        click.echo(f"No backups of {project} yet (they are made in {store.folder})")
        return
    click.echo(f"Backups of {project} in {store.folder}:")
    for number, backup in enumerate(found, start=1):
        click.echo(f"{number:>4}  {backup.describe()}  {backup.path.name}")


@cli.command()
@PROJECT
@click.argument("backup")
@fail_clearly
def restore(project: Path, backup: str) -> None:
    """Put BACKUP (a number from `annotator backups`, `latest`, or a file) in place
    of PROJECT, keeping a copy of PROJECT as it was among its backups.

    Refused while PROJECT is open for editing.

    \b
    Example:
      annotator restore study.annotator 3
    """
    from annotator.core.backup import Backups

    store = Backups(project)
    chosen = store.find(backup)
    before = store.restore(chosen)
    Project.open(project).close()  # sound, and upgraded if the backup was older
    click.echo(f"Restored {project} from {chosen.name}")
    if before is not None:
        click.echo(f"The project as it was is kept as {before}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def main() -> None:
    cli(prog_name="annotator")
