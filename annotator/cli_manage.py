"""Commands that look after a project: stats, list, labels, check, backups, restore,
status and remove. ``annotator.cli`` adds them to the ``annotator`` group."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from annotator.cli_common import ANNOTATOR, PROJECT, chunks, fail_clearly, open_for_reading, plural
from annotator.core import AnnotatorError, Project
from annotator.core.model import STATUSES

JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")


@click.command()
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
@JSON
@fail_clearly
def stats(
    project: Path,
    annotator: str | None,
    by: str | None,
    plot: Path | None,
    csv_path: Path | None,
    as_json: bool,
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
      annotator stats study.annotator --json
    """
    if by == "speaker":
        _quotes_by_speaker(project)
        return
    if plot is not None or csv_path is not None:
        _charts(project, plot, csv_path)
    with open_for_reading(project, annotator) as opened:
        figures = opened.stats()
        who = opened.annotator
    if as_json:
        click.echo(json.dumps({"annotator": who, **figures}, ensure_ascii=False, indent=2))
        return
    click.echo(plural(figures["documents"], "document") + f" (status of {who})")
    for status, count in figures["by_status"].items():
        click.echo(f"  {status:<10}{count:>8}")
    click.echo(plural(figures["spans"], "span"))
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
        click.echo(plural(figures["suggestions"], "suggestion"))
        for name, count in figures["suggestions_by_source"].items():
            click.echo(f"  {name:<20}{count:>8}")
    click.echo(plural(figures["relations"], "relation"))


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

    with open_for_reading(project) as opened:
        try:
            quotes, counts = quotes_by_speaker(opened)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{plural(quotes, 'quote')} by speaker (a quote said by two people counts for each)")
    width = max([10, *(len(name) + 2 for name, _ in counts)])
    for name, count in counts:
        click.echo(f"  {name:<{width}}{count:>6}")


@click.command("list")
@PROJECT
@click.option("--status", type=click.Choice(STATUSES), help="Only documents with this status.")
@ANNOTATOR
@JSON
@fail_clearly
def list_command(project: Path, status: str | None, annotator: str | None, as_json: bool) -> None:
    """List PROJECT's documents: id, status and span count (yours, or --annotator's), name.

    Pending suggestions are counted apart ("3 suggested"). With --json, one JSON
    object a line: {"id", "name", "status", "spans", "suggestions"}.

    \b
    Example:
      annotator list study.annotator --status todo
      annotator list study.annotator --annotator olga --status done
      annotator list study.annotator --json
    """
    with open_for_reading(project, annotator) as opened:
        ids = opened.document_ids(status)
        proposing = bool(opened.suggestion_sources())
        for chunk in chunks(ids, 500):
            for summary in opened.summaries(chunk):
                suggested = len(opened.suggestions(summary.id)) if proposing else 0
                if as_json:
                    record = {
                        "id": summary.id,
                        "name": summary.name,
                        "status": summary.status,
                        "spans": summary.span_count,
                        "suggestions": suggested,
                    }
                    click.echo(json.dumps(record, ensure_ascii=False))
                    continue
                also = f"  ({suggested} suggested)" if suggested else ""
                click.echo(
                    f"{summary.id:>6}  {summary.status:<8}{summary.span_count:>6}  {summary.name}"
                    f"{also}"
                )


@click.command()
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
    click.echo(f"{plural(len(problems), 'problem')} found.{advice}", err=True)
    sys.exit(1)


def _is_our_project(path: Path) -> bool:
    """Whether the file's header says it is one of our projects (its content may be damaged)."""
    from annotator.core import schema

    try:
        return schema.read_header(path)[0] == schema.APPLICATION_ID
    except AnnotatorError:
        return False


@click.command()
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


@click.command()
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
    from annotator.core.backup import Backups, refuse_restore_target

    refuse_restore_target(Path(project).absolute())
    store = Backups(project)
    chosen = store.find(backup)
    before = store.restore(chosen)
    Project.open(project).close()  # sound, and upgraded if the backup was older
    click.echo(f"Restored {project} from {chosen.name}")
    if before is not None:
        click.echo(f"The project as it was is kept as {before}")


DOCS = click.argument("documents", nargs=-1, required=True, metavar="DOC...")


@click.command()
@PROJECT
@DOCS
@click.option(
    "--set", "new_status", type=click.Choice(STATUSES), required=True, help="The new status."
)
@fail_clearly
def status(project: Path, documents: tuple[str, ...], new_status: str) -> None:
    """Mark documents of PROJECT todo, done or skipped. DOC is an id or a name as
    `annotator list` shows them.

    \b
    Example:
      annotator status study.annotator 3 kim-train-to-russia --set done
    """
    with Project.open(project) as opened:
        ids = find_documents(opened, documents)
        for document_id in ids:
            opened.set_status(document_id, new_status)
    click.echo(f"Marked {plural(len(ids), 'document')} {new_status}.")


@click.command()
@PROJECT
@DOCS
@fail_clearly
def remove(project: Path, documents: tuple[str, ...]) -> None:
    """Remove documents, with their spans and relations, from PROJECT. DOC is an id or a
    name as `annotator list` shows them. A backup is taken first.

    \b
    Example:
      annotator remove study.annotator 3 kim-train-to-russia
    """
    from annotator.core.backup import Backups

    with Project.open(project) as opened:
        ids = find_documents(opened, documents)
        backup = Backups(project).take(opened, note="before-remove")
        removed = opened.remove_documents(ids)
    click.echo(f"Removed {plural(removed, 'document')}; the project as it was is kept as {backup}")


def find_documents(project: Project, wanted: tuple[str, ...]) -> list[int]:
    """Document ids for ids or names, in the order given; refuses one that is not there
    or a name that two documents share (say which by id)."""
    by_id: dict[int, str] = {}
    by_name: dict[str, list[int]] = {}
    for chunk in chunks(project.document_ids(), 500):
        for summary in project.summaries(chunk):
            by_id[summary.id] = summary.name
            by_name.setdefault(summary.name, []).append(summary.id)
    found: list[int] = []
    for item in wanted:
        ids = [int(item)] if item.isdigit() and int(item) in by_id else by_name.get(item, [])
        if not ids:
            raise click.ClickException(
                f"{project.path}: no document with id or name {item!r} (see annotator list)"
            )
        if len(ids) > 1:
            raise click.ClickException(
                f"{project.path}: {len(ids)} documents are named {item!r} "
                f"(ids {', '.join(map(str, ids))}): give the id"
            )
        if ids[0] not in found:
            found.append(ids[0])
    return found


@click.command()
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

    with open_for_reading(project) as opened:
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
        click.echo(plural(len(hits), "document"), err=True)


COMMANDS = [stats, list_command, search, check, backups, restore, status, remove]
