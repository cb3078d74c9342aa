"""Crash safety, tested by crashing: SIGKILL the window mid-edit, many times.

A child process edits the project through the window's own code path
(tests/killtest/editor.py) and reports each edit after the call returns. It is
killed at a random moment; then the project must pass SQLite's integrity check
and hold every reported edit (plus, at most, the one edit in flight). While the
child runs, a read-only reader in this process must already see every reported
edit. The number of kills is ANNOTATOR_KILLS (default 30); every one of them
happens, however long they take (time belongs in benchmarks/).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from annotator.core import Project
from annotator.core.importing import read_documents
from annotator.core.lock import lock_path

EDITOR = Path(__file__).parent / "killtest" / "editor.py"
SAMPLE = Path(__file__).resolve().parents[1] / "projects" / "kim-train-to-russia.txt"
KILLS = int(os.environ.get("ANNOTATOR_KILLS", "30"))

Key = tuple[int, int, int, str]


# The person's spans: the suggestions that tagging proposes (suggest:propagate) are
# written in their own transaction after the edit, and are not edits.
SPANS = (
    'SELECT s.document_id, s.start, s."end", l.name FROM spans s JOIN labels l ON l.id = s.label_id'
    " JOIN layers y ON y.id = s.layer_id WHERE y.name NOT LIKE 'suggest:%'"
)


def _state(path: Path) -> set[Key]:
    """Integrity-checked content of the project as the next start will find it."""
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        assert result == [("ok",)], result
        rows = conn.execute(SPANS).fetchall()
        bad = conn.execute(
            "SELECT count(*) FROM spans s JOIN documents d ON d.id = s.document_id"
            ' WHERE substr(d.text, s.start + 1, s."end" - s.start) != s.text'
        ).fetchone()[0]
        assert bad == 0
    finally:
        conn.close()
    return set(rows)


def _apply(state: set[Key], effect: list[object]) -> set[Key]:
    sign, *key = effect
    span = (int(key[0]), int(key[1]), int(key[2]), str(key[3]))  # type: ignore[arg-type]
    return state | {span} if sign == "+" else state - {span}


class Child:
    """The editing process, its reported lines collected by a thread."""

    def __init__(self, path: Path, seed: int) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        self.process = subprocess.Popen(
            [sys.executable, str(EDITOR), str(path), str(seed)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.lines: list[dict[str, object]] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            if not raw.endswith(b"\n"):
                break  # cut short by the kill: never reported
            message = json.loads(raw)
            self.lines.append(message)
            if message.get("ready"):
                self.ready.set()

    def wait_ready(self, timeout: float) -> bool:
        """Ready to edit; False at once if the process ended instead."""
        end = time.monotonic() + timeout
        while not self.ready.wait(0.05):
            if self.process.poll() is not None or time.monotonic() > end:
                return False
        return True

    def kill(self) -> str:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._reader.join(timeout=10)
        assert self.process.stderr is not None
        return self.process.stderr.read().decode(errors="replace")


def _reported(lines: list[dict[str, object]], start: set[Key]) -> tuple[set[Key], list | None, int]:
    """State after every `done`, the effect in flight (if any), edits reported."""
    state, pending, done = set(start), None, 0
    for message in lines:
        if "will" in message:
            pending = message["will"]
        elif "done" in message:
            assert pending is not None
            state, pending, done = _apply(state, pending), None, done + 1
    return state, pending, done


def _states_since(lines: list[dict[str, object]], start: set[Key], done: int) -> list[set[Key]]:
    """Every state the project passed through from the ``done``-th reported edit on."""
    state, pending, count, states = set(start), None, 0, []
    for message in lines:
        if "will" in message:
            pending = message["will"]
            if count >= done:
                states.append(_apply(state, pending))
        elif "done" in message:
            state, pending, count = _apply(state, pending), None, count + 1
        if count >= done:
            states.append(state)
    return states


@pytest.mark.slow
def test_killed_mid_edit_loses_nothing_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "killed.annotator"
    with Project.create(path) as project:
        project.add_documents(read_documents([SAMPLE]))
        project.add_document("Kim 😀 met Putin\r\nin Vostochny; café 🇳🇴 talks. “Quote,” he said.")
        project.add_document("Ein zweiter Artikel über Wladiwostok, mit Umlauten: äöü ß.")
    rng = random.Random(20261127)
    expected = _state(path)
    kills = verified = reader_checks = early_kills = 0
    in_flight_landed = 0
    while kills < KILLS:
        child = Child(path, rng.randrange(2**31))
        early = rng.random() < 0.1  # now and then, kill it while it is still opening
        if not early:
            assert child.wait_ready(30), child.kill()
            time.sleep(rng.uniform(0.0, 0.25))
            # A reader beside the writer sees every edit reported so far (and
            # perhaps a few the writer made while it looked).
            before = _reported(list(child.lines), expected)[2]
            with Project.open(path, read_only=True, verify=False) as reader:
                visible = set(reader.conn.execute(SPANS).fetchall())  # one snapshot
            # Its report of edits the reader saw may still be in the pipe: wait for it.
            until = time.monotonic() + 5
            while visible not in _states_since(list(child.lines), expected, before):
                assert time.monotonic() < until, "the reader saw a state never reported"
                time.sleep(0.02)
            reader_checks += 1
            # Kill mid-work: after a random number of further edits, whatever the
            # machine's speed (a count, not a time).
            wanted = _reported(list(child.lines), expected)[2] + rng.randint(1, 12)
            until = time.monotonic() + 120  # a stuck child fails; it never hangs the run
            while _reported(list(child.lines), expected)[2] < wanted:
                assert child.process.poll() is None, child.kill()
                assert time.monotonic() < until, "the child made no progress in 120 s"
                time.sleep(0.005)
        else:
            early_kills += 1
            time.sleep(rng.uniform(0.0, 0.8))
        errors = child.kill()
        kills += 1
        state, pending, done = _reported(child.lines, expected)
        actual = _state(path)
        if actual != state:
            assert pending is not None and actual == _apply(state, pending), (
                f"kill {kills}: lost or extra edits\n{errors[-2000:]}"
            )
            in_flight_landed += 1
        assert "Traceback" not in errors, errors
        verified += done
        expected = actual
        if child.ready.is_set():
            assert lock_path(path).exists()  # a stale lock, which the next start ignores
    with capsys.disabled():  # the figures belong in the CI log
        print(
            f"\nkill test: survived {kills} SIGKILLs; {verified} reported edits verified"
            f" ({in_flight_landed} in-flight edits landed whole); {reader_checks} reader checks;"
            f" {len(expected)} spans in the end"
        )
    assert kills == KILLS
    assert verified >= kills - early_kills  # the kills landed mid-work, not before any edit
    with Project.open(path) as project:  # and the next start is a normal one
        assert project.read_only is False
