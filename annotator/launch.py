"""What ``annotator`` runs first: the window, as fast as it can be on screen.

``annotator`` and ``annotator PROJECT.annotator`` are what a person runs every day,
so they go straight to the window without the command line's parser (click and the
modules of its eighteen commands). Anything else goes to :mod:`annotator.cli`.

Start-up makes some fifty thousand objects that live as long as the program (modules,
classes, Qt's enums, the window's parts) and almost no garbage. Python's cyclic
collector would scan them again and again as they are made, so it is paused until
the article is on screen; then they are moved out of its sight (``gc.freeze``: later
full collections no longer walk them) and it runs as usual. The price: what exists at
the first paint and later becomes garbage in a cycle (the first project's parts, when
another is opened: 414 objects, measured) is never collected, once.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from annotator.ui.main_window import MainWindow


def main() -> None:
    """The ``annotator`` command."""
    project = window_project(sys.argv[1:])
    if project is not None:
        sys.exit(run_window(project or None))
    from annotator.cli import main as command_line

    command_line()


def window_project(args: list[str]) -> str | None:
    """The project to open when ``args`` ask only for the window ("" for the last
    one), else None: the command line parses the rest, and says what is wrong."""
    if not args:
        return ""
    if len(args) == 1 and not args[0].startswith("-") and Path(args[0]).suffix == ".annotator":
        return args[0]
    return None


def run_window(project_path: str | Path | None = None) -> int:
    """Run the window until it is closed; returns the exit code."""
    window = show_window(project_path)  # held while the event loop runs
    from annotator.app import application

    exit_code = int(application().exec())
    del window
    return exit_code


def show_window(
    project_path: str | Path | None = None, size: tuple[int, int] | None = None
) -> MainWindow:
    """The window on ``project_path`` (or the start project), shown (at ``size``, in
    pixels, instead of the size it had last); its first paint comes from the event loop."""
    resume = _pause_collector()
    try:
        from annotator.app import application, create_window

        application()
        window = create_window(project_path)
        if size is not None:
            window.resize(*size)
        window.show()
        window.view.setFocus()
    except BaseException:
        resume()
        raise
    window.after_paint(resume)
    return window


def _pause_collector() -> Callable[[], None]:
    """Pause the cyclic collector; the function returned freezes what exists (it lives
    as long as the program) and resumes collection, once."""
    if not gc.isenabled():  # someone else is in charge of it
        return lambda: None
    gc.disable()
    done = False

    def resume() -> None:
        nonlocal done
        if not done:
            done = True
            gc.freeze()
            gc.enable()

    return resume
