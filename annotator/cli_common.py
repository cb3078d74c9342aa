"""What every command shares: one clear line instead of a traceback, counts in words."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from annotator.core import AnnotatorError, Project

F = TypeVar("F", bound=Callable[..., Any])


def fail_clearly(func: F) -> F:
    """Show the core's refusals as one clear line and exit 1, never a traceback."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AnnotatorError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:  # a file the core did not expect to fail: one line naming it
            raise click.ClickException(os_error_line(exc)) from None
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


def os_error_line(exc: OSError) -> str:
    import errno

    from annotator.core.errors import cannot_write

    name = exc.filename or "a file"
    if exc.errno == errno.ENOENT:
        return f"{name}: does not exist; check the path"
    if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EPERM, errno.EROFS, errno.EDQUOT):
        return str(cannot_write(name, exc))
    return f"{name}: {exc.strerror or exc}; check the path and that you may write there"


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


def plural(n: int, noun: str) -> str:
    """``1 span``, ``2 spans``."""
    return f"{n} {noun}{'s' * (n != 1)}"


_PLURAL = re.compile(r"\b(spans|relations|edges|breaks|notes|documents|labels)\b")


def count_reason(n: int, reason: str) -> str:
    """``1 span not on token boundaries``: a reason written in the plural, counted."""
    if n == 1:
        reason = _PLURAL.sub(lambda m: m.group(1)[:-1], reason, count=1)
    return f"{n} {reason}"


def chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def progress(items: Iterable[Any], label: str) -> Any:
    """A progress bar on a terminal; nothing in a pipe or a log."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext(items)
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True)
