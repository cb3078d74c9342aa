"""The ``annotator`` command. With no argument (or a project path) it opens the window."""

from __future__ import annotations

import contextlib
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
        except KeyboardInterrupt:
            raise click.Abort() from None

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]


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


@cli.command()
@PROJECT
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@fail_clearly
def add(project: Path, paths: tuple[Path, ...]) -> None:
    """Import documents into PROJECT: .txt/.md files, folders of them, our .jsonl.

    Everything is imported or nothing: a bad file or line stops the import and
    names it. Documents already in the project are skipped and counted.

    \b
    Example:
      annotator add study.annotator projects/kim-train-to-russia.txt
      annotator add study.annotator articles/ more.jsonl
    """
    from annotator.core.importing import expand_paths, read_documents

    files = expand_paths(paths)
    with Project.open(project) as opened:
        documents = read_documents(files)
        with progress(documents, "Importing") as bar:
            report = opened.add_documents(bar)
    parts = [f"Added {report.added} document{'s' * (report.added != 1)}"]
    if report.spans:
        parts.append(f"{report.spans} spans")
    if report.relations:
        parts.append(f"{report.relations} relations")
    if report.skipped_duplicates:
        parts.append(f"skipped {report.skipped_duplicates} already in the project")
    click.echo(", ".join(parts) + ".")
    if report.new_labels:
        click.echo(f"New labels: {', '.join(report.new_labels)}")


@cli.command()
@PROJECT
@click.option("-o", "--output", required=True, help="Output file, or - for standard output.")
@click.option("--status", type=click.Choice(STATUSES), help="Only documents with this status.")
@click.option("--label", "labels", multiple=True, help="Only spans with this label (repeatable).")
@fail_clearly
def export(project: Path, output: str, status: str | None, labels: tuple[str, ...]) -> None:
    """Export PROJECT as JSONL: one document a line, with its spans and relations.

    Offsets are code points, end exclusive: text[start:end] == span text.

    \b
    Example:
      annotator export study.annotator -o spans.jsonl --status done --label PERSON
    """
    from annotator.core.exporting import export_jsonl

    with Project.open(project, read_only=True) as opened:
        count = export_jsonl(opened, output, status=status, labels=labels or None)
    if output != "-":
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
                click.echo(f"{summary.id:>6}  {summary.status:<8}{summary.span_count:>6}  {summary.name}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def main() -> None:
    cli(prog_name="annotator")
