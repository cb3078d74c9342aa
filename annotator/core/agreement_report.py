"""Agreement as people read it: a plain-text table, and one self-contained HTML page.

The page has no script, no external style sheet, font or image: its bar charts
are inline SVG written here, so it opens from a disk or an e-mail with no server
and no network. Every name and label is escaped (a label may be ``<b>``).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from annotator.core.agreement import Agreement, PairAgreement, Scores

NONE = "—"
_COLUMNS = ("Label", "A", "B", "Exact P", "R", "F1", "Overlap P", "R", "F1", "Kappa")


def number(value: float | None) -> str:
    return NONE if value is None else f"{value:.3f}"


def _row(name: str, exact: Scores, overlap: Scores, kappa: float | None) -> list[str]:
    return [
        name,
        str(exact.reference),
        str(exact.candidate),
        number(exact.precision),
        number(exact.recall),
        number(exact.f1),
        number(overlap.precision),
        number(overlap.recall),
        number(overlap.f1),
        number(kappa),
    ]


def pair_rows(pair: PairAgreement, labels: Sequence[str]) -> list[list[str]]:
    """One row per label, then "all" (micro): spans of A and B, P/R/F1 in both modes, kappa."""
    rows = [
        _row(name, pair.labels[name].exact, pair.labels[name].overlap, pair.labels[name].kappa)
        for name in labels
    ]
    rows.append(_row("all", pair.exact, pair.overlap, pair.kappa))
    return rows


def summary(result: Agreement) -> str:
    coders = ", ".join(result.annotators) or "no coders"
    return (
        f"{result.documents} document{'s' * (result.documents != 1)} finished by two or more "
        f"of {coders}; Krippendorff's alpha {number(result.alpha)} "
        f"on {result.tokens:,} tokens"
    )


def pair_title(pair: PairAgreement) -> str:
    return (
        f"{pair.a} (A, reference) vs {pair.b} (B, candidate): "
        f"{pair.documents} document{'s' * (pair.documents != 1)}, {pair.tokens:,} tokens"
    )


def render_text(result: Agreement) -> str:
    """The table ``annotator agree`` prints."""
    lines = [summary(result)]
    for pair in result.pairs:
        rows = [list(_COLUMNS), *pair_rows(pair, result.labels)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
        lines += ["", pair_title(pair)]
        for row in rows:
            cells = [row[0].ljust(widths[0])]
            cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            lines.append("  ".join(cells).rstrip())
    if not result.pairs:
        lines.append("No pair of coders to compare.")
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.all td { font-weight: bold; }
td.diag { background: #e6f2e6; }
td.off { background: #fbe9e7; }
caption { text-align: left; font-weight: bold; padding: 0.3em 0; }
"""
_EXACT, _OVERLAP = "#0072B2", "#E69F00"  # Okabe-Ito blue and orange


def _table(caption: str, head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    parts = [f"<table><caption>{escape(caption)}</caption><tr>"]
    parts += [f"<th>{escape(cell)}</th>" for cell in head]
    parts.append("</tr>")
    for row in rows:
        css = ' class="all"' if row[0] == "all" else ""
        parts.append(f"<tr{css}><td>{escape(row[0])}</td>")
        parts += [f'<td class="n">{escape(cell)}</td>' for cell in row[1:]]
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts)


def _confusion(pair: PairAgreement, labels: Sequence[str]) -> str:
    rows, columns, counts = pair.confusion_table(labels)
    parts = [
        "<table><caption>Spans paired by overlap: rows are A's label, columns B's</caption>",
        f"<tr><th>{escape(pair.a)} \\ {escape(pair.b)}</th>",
    ]
    parts += [f"<th>{escape(column)}</th>" for column in columns]
    parts.append("</tr>")
    for r, row in enumerate(rows):
        parts.append(f"<tr><th>{escape(row)}</th>")
        for c, count in enumerate(counts[r]):
            css = "n diag" if r == c and r < len(labels) else ("n off" if count else "n")
            parts.append(f'<td class="{css}">{count}</td>')
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts)


def f1_chart(pair: PairAgreement, labels: Sequence[str]) -> str:
    """Horizontal bars of exact and overlap F1 per label and for all, as inline SVG."""
    names = [*labels, "all"]
    scores = [(pair.labels[n].exact, pair.labels[n].overlap) for n in labels]
    scores.append((pair.exact, pair.overlap))
    left, width, bar, gap = 130, 300, 12, 10
    top = 6
    height = top + len(names) * (2 * bar + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" '
        f'height="{height}" role="img" aria-label="F1 per label">'
    ]
    for i, (name, (exact, overlap)) in enumerate(zip(names, scores, strict=True)):
        y = top + i * (2 * bar + gap)
        parts.append(
            f'<text x="{left - 6}" y="{y + bar + 4}" text-anchor="end" '
            f'font-size="12">{escape(name)}</text>'
        )
        for k, (scores_, colour) in enumerate(((exact, _EXACT), (overlap, _OVERLAP))):
            value = scores_.f1
            length = 0.0 if value is None else value * width
            y_bar = y + k * bar
            parts.append(
                f'<rect x="{left}" y="{y_bar}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{colour}"><title>{escape(name)} {("exact", "overlap")[k]} F1 '
                f"{number(value)}</title></rect>"
                f'<text x="{left + length + 4:.1f}" y="{y_bar + bar - 3}" '
                f'font-size="10">{number(value)}</text>'
            )
    y = top + len(names) * (2 * bar + gap) + 8
    parts.append(
        f'<rect x="{left}" y="{y}" width="10" height="10" fill="{_EXACT}"/>'
        f'<text x="{left + 14}" y="{y + 9}" font-size="11">exact F1</text>'
        f'<rect x="{left + 90}" y="{y}" width="10" height="10" fill="{_OVERLAP}"/>'
        f'<text x="{left + 104}" y="{y + 9}" font-size="11">overlap F1</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def render_html(result: Agreement, title: str = "Agreement") -> str:
    """One self-contained page: summary, and per pair its table, F1 chart and confusion matrix."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(summary(result))}</p>",
        "<p>A is the reference and B the candidate: precision = matched / B's spans, "
        "recall = matched / A's spans. Exact: same start, end and label. Overlap: same "
        "label and at least one character in common, each span matched once. Kappa and "
        "alpha are on tokens, each the label of the innermost span over it or O. "
        f"{NONE} : not defined (no spans, or no variation).</p>",
    ]
    if not result.pairs:
        parts.append("<p>No pair of coders to compare.</p>")
    for pair in result.pairs:
        parts.append(f"<h2>{escape(pair_title(pair))}</h2>")
        parts.append(_table("Span agreement and kappa", _COLUMNS, pair_rows(pair, result.labels)))
        parts.append(f1_chart(pair, result.labels))
        parts.append(_confusion(pair, result.labels))
    parts.append("</body></html>\n")
    return "\n".join(parts)
