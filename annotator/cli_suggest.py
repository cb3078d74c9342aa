"""``annotator suggest``: fill a project's suggestion layers from its sources."""

from __future__ import annotations

from pathlib import Path

import click

from annotator.cli_common import fail_clearly, progress
from annotator.core import Project
from annotator.core.model import STATUSES


@click.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--source",
    "sources",
    default="propagate,quotes,hedges",
    show_default=True,
    help="Sources, comma separated: propagate, quotes, hedges, spacy:NAME (an installed"
    " pipeline package or a folder).",
)
@click.option("--status", type=click.Choice(STATUSES), help="Only documents with this status.")
@click.option(
    "--replace", is_flag=True, help="Drop each document's earlier suggestions of these sources."
)
@click.option(
    "--lexicon",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep this hedge lexicon in the project (one entry a line) and use it from now on.",
)
@click.option(
    "--spacy-map",
    "spacy_map",
    metavar="MAPPING",
    help="Keep this spaCy label mapping in the project: GPE=PLACE,PERSON=PERSON,...",
)
@click.option(
    "--annotator",
    help="Whose status --status reads (default: $ANNOTATOR_NAME, else your login).",
)
@fail_clearly
def suggest(
    project: Path,
    sources: str,
    status: str | None,
    replace: bool,
    lexicon: Path | None,
    spacy_map: str | None,
    annotator: str | None,
) -> None:
    """Fill PROJECT's suggestion layers: spans proposed for you to accept or reject
    in the window (a, x, n), never exported as anyone's spans.

    propagate proposes every span people made wherever its exact text stands
    again (whole words, through the full-text index); quotes proposes QUOTE for
    quotations; hedges proposes HEDGE from the project's hedge lexicon (or
    resources/hedges.txt); spacy:NAME maps an installed pipeline's entities onto
    the project's labels. The whole run is one transaction: all or nothing.

    \b
    Example:
      annotator suggest study.annotator
      annotator suggest study.annotator --source propagate --status todo --replace
      annotator suggest study.annotator --lexicon my-hedges.txt --source hedges
      annotator suggest study.annotator --source spacy:en_core_web_sm --spacy-map GPE=PLACE
    """
    from annotator.core.suggest.run import (
        SuggestRun,
        parse_mapping,
        parse_sources,
        store_lexicon,
        store_mapping,
    )

    names = parse_sources(sources)
    if not project.exists():
        raise click.ClickException(f"{project}: no such project")
    with Project.open(project, annotator=annotator) as opened:
        said: list[str] = []
        with opened.store.transaction():
            if lexicon is not None:
                count = store_lexicon(opened, lexicon)
                said.append(f"Kept the hedge lexicon {lexicon.name} ({count} entries) in {project}")
            if spacy_map is not None:
                store_mapping(opened, parse_mapping(spacy_map, (x.name for x in opened.labels)))
                said.append(f"Kept the spaCy label mapping {spacy_map} in {project}")
            run = SuggestRun(opened, names, status=status, replace=replace)
            with progress(run.document_ids, "Suggesting") as bar:
                report = run.fill(bar)
    for line in said:
        click.echo(line)
    total = sum(report.added.values())
    read = f"{report.documents} document{'s' * (report.documents != 1)} read"
    click.echo(f"{total} new suggestion{'s' * (total != 1)} ({read}).")
    width = max((len(source) for source, _ in report.added), default=0)
    for (source, label), count in sorted(report.added.items()):
        click.echo(f"  {source:<{width}}  {label:<10}{count:>6}")
    if report.cleared:
        click.echo(f"Dropped the earlier suggestions of {report.cleared} documents (--replace).")
