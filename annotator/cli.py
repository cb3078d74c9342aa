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
ANNOTATOR = click.option(
    "--annotator",
    "annotator",
    help="Whose status to show and filter by (default: $ANNOTATOR_NAME, else your login).",
)


def open_for_reading(path: Path, annotator: str | None = None) -> Project:
    """Open read-only; an older project is first upgraded (after a backup), so every
    read command sees every project alike."""
    from annotator.core.project import upgrade

    if path.exists() and upgrade(path, annotator):
        click.echo(
            f"Upgraded {path} to this version's format (a backup was taken first).", err=True
        )
    return Project.open(path, read_only=True, annotator=annotator)


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
@click.option(
    "--as",
    "as_layer",
    metavar="NAME",
    help="Annotator for spans that name none (default: $ANNOTATOR_NAME, else your login).",
)
@fail_clearly
def add(
    project: Path,
    paths: tuple[Path, ...],
    fmt: str | None,
    offsets: str | None,
    as_layer: str | None,
) -> None:
    """Import documents into PROJECT: .txt/.md files, folders of them, our .jsonl,
    or another tool's files (Prodigy, doccano, brat, Label Studio: see --format).

    Everything is imported or nothing: a bad file or line stops the import and
    names it. Each span keeps its annotator; a text already in the project is
    matched to it and its spans are added there.

    \b
    Example:
      annotator add study.annotator projects/kim-train-to-russia.txt
      annotator add study.annotator articles/ more.jsonl
      annotator add study.annotator brat-corpus/            # a folder of .txt + .ann
      annotator add study.annotator doccano.jsonl --format doccano --offsets utf16
      annotator add study.annotator olga-export.jsonl      # Olga's spans, beside yours
      annotator add study.annotator predictions.jsonl --as suggest:model-v2
    """
    from annotator.core.formats import read_inputs

    with Project.open(project) as opened:
        documents = read_inputs(paths, fmt, offsets=offsets)
        try:
            with progress(documents, "Importing") as bar:
                report = opened.add_documents(bar, as_layer=as_layer)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    parts = [f"Added {_count(report.added, 'document')}"]
    if report.matched:
        parts.append(f"matched {report.matched} already in the project")
    parts.append(f"{_count(report.spans, 'span')}")
    if report.spans_existing:
        parts[-1] += f" ({report.spans_existing} already there)"
    parts.append(f"{_count(report.relations, 'relation')}")
    if report.relations_existing:
        parts[-1] += f" ({report.relations_existing} already there)"
    click.echo(", ".join(parts) + ".")
    if report.layers:
        click.echo(f"Annotators: {', '.join(report.layers)}")
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
@click.option(
    "--annotator",
    "annotators",
    multiple=True,
    metavar="NAME",
    help="Only this annotator's spans (repeatable; gold for the adjudicated set;"
    " default: every person's, and gold).",
)
@click.option(
    "--suggestions",
    is_flag=True,
    default=None,
    help="Our JSONL: add each document's pending suggestions (never as a person's spans).",
)
@click.option(
    "--excel", is_flag=True, help="attribution: a byte-order mark, so Excel shows accents."
)
@fail_clearly
def export(
    project: Path,
    output: str,
    status: str | None,
    labels: tuple[str, ...],
    fmt: str | None,
    offsets: str | None,
    layer: str | None,
    annotators: tuple[str, ...],
    suggestions: bool | None,
    excel: bool,
) -> None:
    """Export PROJECT: our JSONL by default (one document a line, with its spans
    and relations), or another tool's format (see --format, docs/formats.md).

    Offsets are code points, end exclusive: text[start:end] == span text. Each
    span names its annotator; a document's status is the one annotator's chosen,
    else yours (our JSONL also gives each annotator's in "statuses"). What a
    format cannot hold is counted on standard error.

    \b
    Example:
      annotator export study.annotator -o spans.jsonl --status done --label PERSON
      annotator export study.annotator -o train.spacy
      annotator export study.annotator -o ner.conll --layer PERSON,PLACE
      annotator export study.annotator -o brat-corpus --format brat
      annotator export study.annotator -o gold.jsonl --annotator gold
      annotator export study.annotator -o quotes.csv --format attribution --excel
    """
    from annotator.core.formats import write_output

    with open_for_reading(project) as opened:
        try:
            report = write_output(
                opened,
                output,
                fmt,
                status=status,
                labels=labels or None,
                layers=annotators or None,
                suggestions=suggestions or None,
                offsets=offsets,
                layer=layer,
                excel=excel or None,
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
@ANNOTATOR
@click.option(
    "--by", "by", type=click.Choice(["speaker"]), help="speaker: quotes per speaker (said-by)."
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the charts (spans per label and annotator, done per day, label mix) as PNG.",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the charts' figures as CSV.",
)
@fail_clearly
def stats(
    project: Path,
    annotator: str | None,
    by: str | None,
    plot: Path | None,
    csv_path: Path | None,
) -> None:
    """Documents by status (yours, or --annotator's), spans by label and by
    annotator, each annotator's progress, and suggestions apart from spans;
    or, with --by speaker, quotes per speaker.

    \b
    Example:
      annotator stats study.annotator
      annotator stats study.annotator --annotator olga
      annotator stats study.annotator --by speaker
      annotator stats study.annotator --plot stats.png --csv stats.csv
    """
    if by == "speaker":
        _quotes_by_speaker(project)
        return
    if plot is not None or csv_path is not None:
        _charts(project, plot, csv_path)
    with open_for_reading(project, annotator) as opened:
        figures = opened.stats()
        who = opened.annotator
    click.echo(_count(figures["documents"], "document") + f" (status of {who})")
    for status, count in figures["by_status"].items():
        click.echo(f"  {status:<10}{count:>8}")
    click.echo(_count(figures["spans"], "span"))
    for label, count in figures["by_label"].items():
        click.echo(f"  {label:<10}{count:>8}")
    if figures["by_annotator"]:
        click.echo("by annotator            spans    done skipped    todo")
        for name, count in figures["by_annotator"].items():
            done = figures["status_by_annotator"].get(name, {})
            click.echo(
                f"  {name:<20}{count:>8}{done.get('done', 0):>8}{done.get('skipped', 0):>8}"
                f"{done.get('todo', 0):>8}"
            )
    if figures["suggestions"]:
        click.echo(_count(figures["suggestions"], "suggestion"))
        for name, count in figures["suggestions_by_source"].items():
            click.echo(f"  {name:<20}{count:>8}")
    click.echo(_count(figures["relations"], "relation"))


def _charts(project: Path, plot: Path | None, csv_path: Path | None) -> None:
    """The statistics window's charts as a PNG (drawn offscreen) and its figures as CSV."""
    import os

    from annotator.core.statistics import collect

    for path in (plot, csv_path):
        if path is not None and not path.parent.is_dir():
            raise click.ClickException(f"{path}: its folder does not exist; nothing was written")
    with open_for_reading(project) as opened:
        figures = collect(opened)
    if csv_path is not None:
        try:
            csv_path.write_text(figures.csv_text(), encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"{csv_path}: cannot write it ({exc.strerror})") from None
        click.echo(f"Wrote the figures to {csv_path}", err=True)
    if plot is not None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window is shown
        from annotator.app import application
        from annotator.ui.charts import render_png

        application()  # fonts need one; kept for the process (a script may call us twice)
        try:
            render_png(figures, plot)
        except OSError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Drew the charts in {plot}", err=True)


def _quotes_by_speaker(project: Path) -> None:
    from annotator.core.formats.attribution import quotes_by_speaker

    with Project.open(project, read_only=True) as opened:
        try:
            quotes, counts = quotes_by_speaker(opened)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{_count(quotes, 'quote')} by speaker (a quote said by two people counts for each)")
    width = max([10, *(len(name) + 2 for name, _ in counts)])
    for name, count in counts:
        click.echo(f"  {name:<{width}}{count:>6}")


@cli.command("list")
@PROJECT
@click.option("--status", type=click.Choice(STATUSES), help="Only documents with this status.")
@ANNOTATOR
@fail_clearly
def list_command(project: Path, status: str | None, annotator: str | None) -> None:
    """List PROJECT's documents: id, status and span count (yours, or --annotator's), name.

    \b
    Example:
      annotator list study.annotator --status todo
      annotator list study.annotator --annotator olga --status done
    """
    with open_for_reading(project, annotator) as opened:
        ids = opened.document_ids(status)
        for chunk in _chunks(ids, 500):
            for summary in opened.summaries(chunk):
                click.echo(
                    f"{summary.id:>6}  {summary.status:<8}{summary.span_count:>6}  {summary.name}"
                )


@cli.command()
@PROJECT
@click.argument("query")
@click.option("--status", type=click.Choice(STATUSES), help="Only documents with this status.")
@click.option(
    "--not-tagged",
    metavar="LABEL",
    help="Only documents where a hit is not yet tagged LABEL (and show that hit).",
)
@click.option("--limit", type=click.IntRange(min=1), default=500, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@fail_clearly
def search(
    project: Path,
    query: str,
    status: str | None,
    not_tagged: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Find the documents of PROJECT that hold QUERY, with a line of context.

    QUERY is a word or a phrase, or SQLite FTS5 syntax: "a phrase", AND, OR, NOT,
    word* for words that begin so. The hit is shown [in brackets]; with --json,
    start and end are its offsets in the document's text (code points).

    \b
    Example:
      annotator search study.annotator Putin --not-tagged PERSON
      annotator search study.annotator '"Kim Jong Un" OR Pyongyang' --json
    """
    from annotator.core.search import search_project

    with Project.open(project, read_only=True) as opened:
        hits = search_project(opened, query, status=status, not_tagged=not_tagged, limit=limit)
    for hit in hits:
        if as_json:
            import orjson

            record = {
                "id": hit.document_id,
                "name": hit.name,
                "status": hit.status,
                "start": hit.start,
                "end": hit.end,
                "hits": hit.hits,
                "context": hit.context,
                "context_hit": [hit.hit_start, hit.hit_end],
            }
            click.echo(orjson.dumps(record).decode())
        else:
            click.echo(f"{hit.document_id:>6}  {hit.status:<8}{hit.name}")
            click.echo(f"        {hit.marked()}")
    if not as_json:
        click.echo(_count(len(hits), "document"), err=True)


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
    click.echo(
        f"{_count(len(problems), 'problem')} found. To go back to a sound copy: "
        f"annotator backups {project}",
        err=True,
    )
    sys.exit(1)


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


def _register_team_commands() -> None:
    from annotator.cli_labels import guidelines, labels
    from annotator.cli_team import agree, handout, merge

    cli.add_command(labels)
    cli.add_command(guidelines)
    cli.add_command(handout)
    cli.add_command(merge)
    cli.add_command(agree)


_register_team_commands()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def main() -> None:
    cli(prog_name="annotator")
