"""Run every benchmark and print one table: figure, ours, baseline, ratio, target, met?

    python benchmarks/run.py              # full sizes
    python benchmarks/run.py --quick      # small sizes, seconds: keeps the scripts working
    python benchmarks/run.py --scale 0.2  # full sizes cut to a fifth
    python benchmarks/run.py --only open  # figures 1 and 11 alone, full sizes
    python benchmarks/run.py --only startup  # one figure (or a group: core, window, ...)

Every figure is measured against its baseline in the same run, in turn, and
the median of ``--repeats`` runs of each is reported.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import Row, Settings

# Each group: the module and its function that measures it.
MODULES = {
    "core": ("bench_core", "run"),
    "window": ("bench_window", "run"),
    "open": ("bench_window", "run_open"),  # figures 1 and 11 alone (part of "window")
    "relations": ("bench_window", "figures_relations"),  # figures 1 and 2 with relations
    "agree": ("bench_agree", "run"),
    "suggest": ("bench_suggest", "run"),
    "merge": ("bench_merge", "run"),  # figure 12
}
# Single figures that `--only` also takes: name -> (group, the function making its row).
FIGURES = {
    "startup": ("window", "figure_startup"),
    "propagate": ("window", "figure_tag_and_propagate"),
}


def table(rows: list[Row]) -> str:
    head = ("Figure", "Ours", "Baseline", "Ratio", "Target", "Met?")
    body = [
        (
            row.figure,
            row.ours,
            row.baseline,
            "—" if row.ratio is None else f"{row.ratio:.2f}×",
            row.target,
            {True: "yes", False: "NO", None: "—"}[row.met],
        )
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in [head, *body]) for i in range(len(head))]

    def fmt(line: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True))
            + " |"
        )

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(head), rule, *map(fmt, body)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the full sizes")
    parser.add_argument("--repeats", type=int, help="runs of each figure (default 3, quick 1)")
    parser.add_argument(
        "--only",
        choices=sorted(MODULES) + sorted(FIGURES),
        action="append",
        help="these groups (or single figures: " + ", ".join(sorted(FIGURES)) + ") only",
    )
    parser.add_argument("--workdir", type=Path, help="keep data here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    parser.add_argument("-v", "--verbose", action="store_true", help="say what runs")
    args = parser.parse_args(argv)

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    # Installed packages come with their bytecode: let the fresh interpreters
    # keep theirs too (in the work folder), even where writing it is turned off.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    settings = Settings(
        workdir=workdir,
        quick=args.quick,
        scale=args.scale,
        repeats=args.repeats or (1 if args.quick else 3),
        verbose=args.verbose,
    )
    started = time.perf_counter()
    rows: list[Row] = []
    try:
        for group in args.only or ["core", "window", "agree", "suggest", "merge"]:
            if group in FIGURES:
                owner, function = FIGURES[group]
                module = importlib.import_module(MODULES[owner][0])
                rows.append(getattr(module, function)(settings))
                # A figure may make a companion row (the sample beside the long article).
                rows.extend(row for row in settings.shared.values() if isinstance(row, Row))
                continue
            name, function = MODULES[group]
            module = importlib.import_module(name)
            rows.extend(getattr(module, function)(settings))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table(rows))
    notes = [note for row in rows for note in row.notes]
    for note in notes:
        print(f"- {note}")
    print(
        f"({'quick' if args.quick else f'scale {args.scale:g}'}, {settings.repeats} run(s) each, "
        f"medians; {time.perf_counter() - started:.0f} s)"
    )
    if args.json:
        args.json.write_text(
            json.dumps([row.__dict__ for row in rows], indent=2, ensure_ascii=False)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
