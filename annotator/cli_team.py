"""``annotator handout`` and ``annotator merge``: a team of coders with project files alone."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli_common import plural
from annotator.core import AnnotatorError, Project


def _coders(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter("name the coders, comma separated: --to maria,olga,chen")
    return names


@click.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "coders", required=True, help="The coders, comma separated.")
@click.option(
    "--overlap",
    type=float,
    default=0.2,
    show_default=True,
    help="The fraction of documents every coder gets, for measuring agreement.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the split.")
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the coders' files (CODER.annotator).",
)
def handout(project: Path, coders: str, overlap: float, seed: int, out_dir: Path) -> None:
    """Write one project file per coder with their share of PROJECT's documents.

    The --overlap fraction (to the nearest whole document) goes to every coder,
    so that agreement can be measured; the rest is split evenly. The same seed
    gives the same split. Labels and suggestions are copied; PROJECT is only read.

    \b
    Example:
      annotator handout study.annotator --to maria,olga,chen --overlap 0.2 -o team/
    """
    from annotator.core.team import handout as hand_out

    try:
        with Project.open(project, read_only=True) as source:
            plan = hand_out(source, _coders(coders), out_dir, overlap=overlap, seed=seed)
    except (AnnotatorError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    shared = len(plan.shared)
    click.echo(
        f"{plural(shared, 'document')} {'goes' if shared == 1 else 'go'} to every coder"
        f" (overlap {overlap:g}, seed {seed})."
    )
    for coder, path in plan.files.items():
        click.echo(f"  {path}  {plural(len(plan.by_coder[coder]), 'document')}")


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The team's project (made if missing).",
)
@click.option(
    "--rename",
    is_flag=True,
    help="Where two files hold one annotator's different spans for a document, keep both"
    " (the second as NAME@FILE).",
)
def merge(inputs: tuple[Path, ...], output: Path, rename: bool) -> None:
    """Bring coders' project files together into OUTPUT, matching documents by their
    text and keeping every annotator's spans and status apart.

    All or nothing; the inputs are only read; merging a file again adds nothing.

    \b
    Example:
      annotator merge team/maria.annotator team/olga.annotator -o merged.annotator
    """
    from annotator.core.team import merge as merge_files

    try:
        report = merge_files(list(inputs), output, rename=rename)
    except (AnnotatorError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Merged {plural(report.files, 'file')} into {output}:"
        f" {plural(report.documents_added, 'document')} added,"
        f" {report.documents_matched} matched, {plural(report.spans, 'span')} added"
        f" ({report.spans_existing} already there), {plural(report.relations, 'relation')}."
    )
    if report.layers:
        click.echo(f"Annotators: {', '.join(report.layers)}")
    for where, name in report.renamed.items():
        click.echo(f"Renamed {where} to {name}")


@click.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--annotators", help="The coders to compare, comma separated (default: all).")
@click.option("--label", "labels", multiple=True, help="Only this label (repeatable).")
@click.option(
    "--status",
    type=click.Choice(["done", "all"]),
    default="done",
    show_default=True,
    help="done: documents both coders marked done; all: wherever both have spans.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML page with the tables and confusion matrices.",
)
def agree(
    project: Path,
    annotators: str | None,
    labels: tuple[str, ...],
    status: str,
    as_json: bool,
    report: Path | None,
) -> None:
    """How well PROJECT's coders agree: span precision, recall and F1 per pair
    (exact and overlapping), Cohen's kappa per pair and Krippendorff's alpha
    across all coders, on the tokens of the CoNLL export.

    A document a coder has not finished is missing data, not disagreement.
    docs/agreement.md works an example through.

    \b
    Example:
      annotator agree team.annotator
      annotator agree team.annotator --annotators maria,olga --label QUOTE --json
      annotator agree team.annotator --report agreement.html
    """
    import orjson

    from annotator.core.agreement import agreement
    from annotator.core.agreement_report import render_html, render_text
    from annotator.core.team import coded_documents

    coders = _coders(annotators) if annotators else None
    try:
        with Project.open(project, read_only=True) as opened:
            names = [label.name for label in opened.labels]
            unknown = [name for name in labels if name not in names]
            if unknown:
                raise click.BadParameter(
                    f"no label {unknown[0]!r}; the project has {', '.join(names)}",
                    param_hint="--label",
                )
            documents = coded_documents(opened, coders, status)
        result = agreement(documents, annotators=coders, labels=labels or None, label_order=names)
    except (AnnotatorError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(orjson.dumps(result.as_json(), option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(render_text(result), nl=False)
    if report is not None:
        from annotator.core.exporting import atomic_output

        with atomic_output(report, "w") as stream:
            stream.write(render_html(result, title=f"Agreement in {project.name}"))
        click.echo(f"Wrote {report}", err=True)
