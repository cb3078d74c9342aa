"""The statistics charts, drawn with QPainter: for the window and for PNG files.

Plain QPainter rather than QtCharts or matplotlib: four bar charts need nothing
more, it adds nothing to install (QtCharts is in PySide6-Addons, matplotlib
brings NumPy, which sqlite-utils would then import at every start), and this
module is imported only when the statistics window opens or a plot is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPen

from annotator.core.statistics import Statistics

NEUTRAL = "#5F6B77"  # annotators and days: a slate grey no label uses (5:1 on white)
MIX_ROWS = 15  # documents in the mix chart: those with the most spans


@dataclass(frozen=True)
class Theme:
    background: str = "#FFFFFF"
    text: str = "#1A1A1A"
    muted: str = "#595959"  # 7:1 on white
    grid: str = "#D0D0D0"


Chart = Callable[[QPainter, QRectF, Statistics, Theme], None]


def _title(painter: QPainter, rect: QRectF, title: str, theme: Theme) -> QRectF:
    """Draw a chart's title; the rectangle left for the chart."""
    font = QFont(painter.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15)
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor(theme.text))
    height = QFontMetricsF(font).height() + 8
    painter.drawText(
        QRectF(rect.left(), rect.top(), rect.width(), height),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        title,
    )
    painter.restore()
    return rect.adjusted(0, height + 4, 0, 0)


def _empty(painter: QPainter, rect: QRectF, theme: Theme, message: str) -> None:
    painter.setPen(QColor(theme.muted))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, message)


def _bars(
    painter: QPainter,
    rect: QRectF,
    rows: list[tuple[str, int, str]],
    theme: Theme,
) -> None:
    """Horizontal bars: (name, value, colour), the value written after each bar."""
    metrics = QFontMetricsF(painter.font())
    if not rows or not any(value for _, value, _ in rows):
        _empty(painter, rect, theme, "Nothing yet")
        return
    name_width = min(max(metrics.horizontalAdvance(name) for name, _, _ in rows) + 10, 180)
    value_width = metrics.horizontalAdvance(f"{max(v for _, v, _ in rows):,}") + 10
    row_height = min(rect.height() / len(rows), metrics.height() * 2.2)
    top = max(value for _, value, _ in rows)
    span = max(rect.width() - name_width - value_width, 10)
    for i, (name, value, colour) in enumerate(rows):
        y = rect.top() + i * row_height
        painter.setPen(QColor(theme.text))
        painter.drawText(
            QRectF(rect.left(), y, name_width - 8, row_height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width - 8),
        )
        width = span * value / top if top else 0
        bar = QRectF(rect.left() + name_width, y + row_height * 0.15, width, row_height * 0.7)
        painter.fillRect(bar, QColor(colour))
        painter.drawText(
            QRectF(bar.right() + 5, y, value_width, row_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{value:,}",
        )


def spans_per_label(painter: QPainter, rect: QRectF, stats: Statistics, theme: Theme) -> None:
    rect = _title(painter, rect, f"Spans per label ({stats.spans:,})", theme)
    rows = [(label, stats.by_label.get(label, 0), stats.colours[label]) for label in stats.labels]
    _bars(painter, rect, rows, theme)


def spans_per_annotator(painter: QPainter, rect: QRectF, stats: Statistics, theme: Theme) -> None:
    rect = _title(painter, rect, "Spans per annotator", theme)
    rows = [(name, count, NEUTRAL) for name, count in stats.by_annotator.items()]
    _bars(painter, rect, rows, theme)


def done_per_day(painter: QPainter, rect: QRectF, stats: Statistics, theme: Theme) -> None:
    """Vertical bars, one a day from the first document done to the last."""
    total = sum(count for _, count in stats.done_per_day)
    rect = _title(painter, rect, f"Documents done per day ({total:,})", theme)
    days = stats.done_per_day
    if not days:
        _empty(painter, rect, theme, "No document is done yet")
        return
    metrics = QFontMetricsF(painter.font())
    top = max(count for _, count in days)
    axis_width = metrics.horizontalAdvance(f"{top:,}") + 8
    plot = rect.adjusted(axis_width, 4, -4, -metrics.height() - 6)
    painter.setPen(QPen(QColor(theme.grid), 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.topLeft(), QRectF(plot).topRight())
    painter.setPen(QColor(theme.muted))
    for value, y in ((top, plot.top()), (0, plot.bottom())):
        painter.drawText(
            QRectF(rect.left(), y - metrics.height() / 2, axis_width - 6, metrics.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            f"{value:,}",
        )
    step = min(plot.width() / len(days), 48.0)
    for i, (_, count) in enumerate(days):
        height = plot.height() * count / top if top else 0
        painter.fillRect(
            QRectF(plot.left() + i * step + step * 0.1, plot.bottom() - height, step * 0.8, height),
            QColor(NEUTRAL),
        )
    below = QRectF(plot.left(), plot.bottom() + 3, plot.width(), metrics.height())
    painter.drawText(below, Qt.AlignmentFlag.AlignLeft, days[0][0].isoformat())
    if len(days) > 1:
        last = QRectF(below.left(), below.top(), step * len(days), below.height())
        painter.drawText(last, Qt.AlignmentFlag.AlignRight, days[-1][0].isoformat())


def label_mix(painter: QPainter, rect: QRectF, stats: Statistics, theme: Theme) -> None:
    """Each document a bar of its labels' shares (those with the most spans first)."""
    rect = _title(painter, rect, "Label mix per document", theme)
    rows = sorted(stats.mix, key=lambda item: -sum(item[1].values()))[:MIX_ROWS]
    if not rows:
        _empty(painter, rect, theme, "No spans yet")
        return
    metrics = QFontMetricsF(painter.font())
    legend_height = metrics.height() + 8
    x = rect.left()
    for label in stats.labels:
        painter.fillRect(QRectF(x, rect.top() + 3, 12, 12), QColor(stats.colours[label]))
        painter.setPen(QColor(theme.text))
        painter.drawText(QRectF(x + 16, rect.top(), 200, legend_height), label)
        x += 16 + metrics.horizontalAdvance(label) + 14
    rect = rect.adjusted(0, legend_height, 0, 0)
    name_width = min(max(metrics.horizontalAdvance(name) for name, _ in rows) + 10, 200)
    row_height = min(rect.height() / len(rows), metrics.height() * 1.8)
    width = max(rect.width() - name_width - 50, 10)
    for i, (name, counts) in enumerate(rows):
        y = rect.top() + i * row_height
        total = sum(counts.values())
        painter.setPen(QColor(theme.text))
        painter.drawText(
            QRectF(rect.left(), y, name_width - 8, row_height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, name_width - 8),
        )
        left = rect.left() + name_width
        for label in stats.labels:
            share = width * counts.get(label, 0) / total
            painter.fillRect(
                QRectF(left, y + row_height * 0.15, share, row_height * 0.7),
                QColor(stats.colours[label]),
            )
            left += share
        painter.drawText(
            QRectF(left + 5, y, 45, row_height),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{total:,}",
        )


CHARTS: tuple[Chart, ...] = (spans_per_label, spans_per_annotator, done_per_day, label_mix)


def paint_all(painter: QPainter, rect: QRectF, stats: Statistics, theme: Theme) -> None:
    """The four charts in a 2 × 2 grid."""
    painter.fillRect(rect, QColor(theme.background))
    half_w, half_h = rect.width() / 2, rect.height() / 2
    for i, chart in enumerate(CHARTS):
        cell = QRectF(
            rect.left() + (i % 2) * half_w, rect.top() + (i // 2) * half_h, half_w, half_h
        ).adjusted(16, 12, -16, -12)
        chart(painter, cell, stats, theme)


def render_png(stats: Statistics, path: Path, size: QSize = QSize(1400, 900)) -> None:  # noqa: B008
    """The four charts as a PNG file, dark on white."""
    image = QImage(size, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_all(painter, QRectF(0, 0, size.width(), size.height()), stats, Theme())
    painter.end()
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]  # str at run time
        raise OSError(f"cannot write {path}")
