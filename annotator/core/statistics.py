"""The figures behind the statistics window and ``annotator stats --plot``.

Plain data from one read of the project: spans per label, spans per annotator,
documents marked done per day, and the label mix of each document. People's
layers and gold count; suggestions are not spans anyone made and are left out.
Drawing them is the window's business (:mod:`annotator.ui.charts`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from annotator.core.layers import is_human

if TYPE_CHECKING:
    from annotator.core.project import Project


@dataclass
class Statistics:
    """What the charts show. Labels keep the project's order; colours are the labels'."""

    labels: list[str]
    colours: dict[str, str]
    by_label: dict[str, int]
    by_annotator: dict[str, int]
    done_per_day: list[tuple[date, int]]  # every day from the first to the last, gaps as 0
    mix: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (document, counts)

    @property
    def spans(self) -> int:
        return sum(self.by_label.values())

    def csv_text(self) -> str:
        """One table of every figure: ``chart,key,label,value`` rows (UTF-8, no BOM)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["chart", "key", "label", "value"])
        for label, count in self.by_label.items():
            writer.writerow(["spans per label", label, label, count])
        for name, count in self.by_annotator.items():
            writer.writerow(["spans per annotator", name, "", count])
        for day, count in self.done_per_day:
            writer.writerow(["documents done per day", day.isoformat(), "", count])
        for document, counts in self.mix:
            for label in self.labels:
                if counts.get(label):
                    writer.writerow(["label mix per document", document, label, counts[label]])
        return out.getvalue()


def collect(project: Project) -> Statistics:
    """Read the figures (a few grouped queries, whatever the project's size)."""
    labels = project.labels
    names = [label.name for label in labels]
    human = {name for name in project.layers() if is_human(name)}
    conn = project.conn
    by_label = dict.fromkeys(names, 0)
    by_annotator: dict[str, int] = {}
    for label, layer, count in conn.execute(
        "SELECT l.name, y.name, count(*) FROM spans s JOIN labels l ON l.id = s.label_id"
        " JOIN layers y ON y.id = s.layer_id GROUP BY l.id, y.id"
    ):
        if layer in human:
            by_label[label] = by_label.get(label, 0) + count
            by_annotator[layer] = by_annotator.get(layer, 0) + count
    by_annotator = dict(sorted(by_annotator.items(), key=lambda item: (-item[1], item[0])))
    days: dict[date, int] = {}
    for updated, layer, count in conn.execute(
        "SELECT substr(ds.updated, 1, 10), y.name, count(*) FROM document_status ds"
        " JOIN layers y ON y.id = ds.layer_id WHERE ds.status = 'done' GROUP BY 1, 2"
    ):
        if layer in human:
            try:
                day = date.fromisoformat(updated)
            except ValueError:
                continue
            days[day] = days.get(day, 0) + count
    mix: dict[int, tuple[str, dict[str, int]]] = {}
    for document_id, name, label, layer, count in conn.execute(
        "SELECT d.id, d.name, l.name, y.name, count(*) FROM spans s"
        " JOIN documents d ON d.id = s.document_id JOIN labels l ON l.id = s.label_id"
        " JOIN layers y ON y.id = s.layer_id GROUP BY d.id, l.id, y.id ORDER BY d.position"
    ):
        if layer in human:
            counts = mix.setdefault(document_id, (name or f"document {document_id}", {}))[1]
            counts[label] = counts.get(label, 0) + count
    return Statistics(
        labels=names,
        colours={label.name: label.colour for label in labels},
        by_label=by_label,
        by_annotator=by_annotator,
        done_per_day=_every_day(days),
        mix=list(mix.values()),
    )


def _every_day(days: dict[date, int]) -> list[tuple[date, int]]:
    if not days:
        return []
    first, last = min(days), max(days)
    return [
        (first + timedelta(n), days.get(first + timedelta(n), 0))
        for n in range((last - first).days + 1)
    ]
