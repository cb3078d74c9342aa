"""The ``annotator`` command. With no argument (or a project path) it opens the window."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from annotator import __version__
from annotator.cli_common import PROJECT, count_reason, fail_clearly, open_for_reading, progress
from annotator.cli_manage import COMMANDS
from annotator.core import Project
from annotator.core.labels import load_label_file, parse_label_spec
from annotator.core.model import STATUSES


class AnnotatorGroup(click.Group):
    """``annotator PROJECT`` is short for ``annotator open PROJECT``; a word that is
    neither a command nor a file is refused, listing the commands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            refuse_unknown_project(args[0], self)
            args = ["open", *args]
        return super().parse_args(ctx, args)


def refuse_unknown_project(word: str, group: click.Group) -> None:
    """A missing file is offered for creation (by the window) only when it is named
    ``*.annotator``; anything else missing is a mistyped command or path."""
    if Path(word).exists() or Path(word).suffix == ".annotator":
        return
    commands = ", ".join(name for name in group.commands if name != "open")
    raise click.UsageError(f"no such command or project file: {word}\nCommands: {commands}")


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
    if project is not None:
        refuse_unknown_project(str(project), cli)
    from annotator.launch import run_window

    sys.exit(run_window(project))


@cli.command()
@PROJECT
@click.option("--labels", "label_spec", help="Labels, comma separated: NAME[:#RRGGBB[:hotkey]].")
@click.option(
    "--label-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A JSON list of label names or of {name, colour, hotkey, description} objects, "
    "or one label name a line.",
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
        if label_spec is not None:
            if not label_spec.strip(" ,"):
                raise ValueError("--labels names no label (give NAME[,NAME...])")
            labels = (labels or []) + parse_label_spec(label_spec)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    with Project.create(project, labels) as created:
        names = ", ".join(label.name for label in created.labels)
    click.echo(f"Created {project} with labels {names}")


def _format_choice(direction: str) -> click.Choice[str]:
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
    from annotator.core.importing import summarise_import

    passed_over: list[str] = []
    with Project.open(project) as opened:
        documents = read_inputs(paths, fmt, passed_over=passed_over, offsets=offsets)
        try:
            with progress(documents, "Importing") as bar:
                report = opened.add_documents(bar, as_layer=as_layer)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    for line in summarise_import(report, passed_over):
        click.echo(line)


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
        known = [label.name for label in opened.labels]
        unknown = [name for name in labels if name not in known]
        if unknown:
            raise click.BadParameter(
                f"{project} has no label {', '.join(unknown)} (it has {', '.join(known)})",
                param_hint="--label",
            )
        try:
            report = write_output(
                opened,
                output,
                fmt,
                status=status,
                labels=labels or None,
                layers=annotators or None,
                suggestions=suggestions or None,
                excel=excel or None,
                offsets=offsets,
                layer=layer,
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    for reason, count in report.lost.items():
        click.echo(count_reason(count, reason), err=True)
    if output != "-":
        count = report.documents
        click.echo(f"Wrote {count} document{'s' * (count != 1)} to {output}", err=True)


for _command in COMMANDS:
    cli.add_command(_command)


def _register_label_commands() -> None:
    from annotator.cli_labels import guidelines, labels

    cli.add_command(labels)
    cli.add_command(guidelines)


_register_label_commands()


def _register_team_commands() -> None:
    from annotator.cli_team import agree, handout, merge

    cli.add_command(handout)
    cli.add_command(merge)
    cli.add_command(agree)
    from annotator.cli_suggest import suggest

    cli.add_command(suggest)


_register_team_commands()


def main() -> None:
    cli(prog_name="annotator")
