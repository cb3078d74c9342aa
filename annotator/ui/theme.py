"""Light or dark: the window follows the system's colour scheme unless told otherwise.

View › Theme offers System (the default: ``QStyleHints.colorScheme``, followed
as it changes), Light and Dark; the choice is remembered. The dark palette is
fixed here, then brought to 4.5:1 by :func:`readable_palette` like any other,
and the article works its span tints out from the palette in force.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QActionGroup, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from annotator.ui.style import readable_palette

SETTING = "theme"
CHOICES = ("system", "light", "dark")

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_DARK = {
    Role.Window: "#202124",
    Role.WindowText: "#E8E8E8",
    Role.Base: "#17181A",
    Role.AlternateBase: "#1E1F22",
    Role.Text: "#E8E8E8",
    Role.Button: "#2A2B2E",
    Role.ButtonText: "#E8E8E8",
    Role.BrightText: "#FFFFFF",
    Role.Light: "#3A3B3F",
    Role.Midlight: "#303134",
    Role.Mid: "#3C3D40",
    Role.Dark: "#111214",
    Role.Shadow: "#000000",
    Role.Highlight: "#3D7BC8",
    Role.HighlightedText: "#FFFFFF",
    Role.Link: "#8AB4F8",
    Role.LinkVisited: "#C58AF9",
    Role.ToolTipBase: "#2A2B2E",
    Role.ToolTipText: "#E8E8E8",
    Role.PlaceholderText: "#9A9A9A",
}
_DARK_DISABLED = {
    Role.WindowText: "#7A7A7A",
    Role.Text: "#7A7A7A",
    Role.ButtonText: "#7A7A7A",
    Role.HighlightedText: "#B0B0B0",
}


def dark_palette() -> QPalette:
    """The dark theme's palette (before :func:`readable_palette`)."""
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(Group.Disabled, role, QColor(colour))
    return palette


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


class Theme(QObject):
    """View › Theme: System / Light / Dark, applied to the whole application."""

    def __init__(
        self,
        parent: QWidget,
        *,
        menu: QMenu,
        settings: QSettings,
        restyle: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._restyle = restyle
        self.dark = False
        self.menu = menu.addMenu("&Theme")
        group = QActionGroup(self)
        group.setExclusive(True)
        self.actions = {}
        for choice in CHOICES:
            action = self.menu.addAction(choice.capitalize())
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, c=choice: self.choose(c))
            group.addAction(action)
            self.actions[choice] = action
        self.choice = self._remembered()
        self.actions[self.choice].setChecked(True)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)
        if self.choice != "system" or system_is_dark():  # the light default costs nothing
            self.apply()

    def _remembered(self) -> str:
        value = str(self._settings.value(SETTING) or "system")
        return value if value in CHOICES else "system"

    def choose(self, choice: str) -> None:
        """Take ``choice`` (system, light or dark), remember it and apply it."""
        self.choice = choice if choice in CHOICES else "system"
        self._settings.setValue(SETTING, self.choice)
        self.actions[self.choice].setChecked(True)
        self.apply()

    def _system_changed(self, _scheme: object) -> None:
        if self.choice == "system":
            self.apply()

    def apply(self) -> None:
        """Give the application the light or dark palette, made readable."""
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        self.dark = self.choice == "dark" or (self.choice == "system" and system_is_dark())
        style = app.style()
        palette = readable_palette(dark_palette() if self.dark else style.standardPalette())
        tips = QPalette(palette)
        tips.setColor(Role.Window, palette.color(Role.ToolTipBase))
        tips.setColor(Role.WindowText, palette.color(Role.ToolTipText))
        QToolTip.setPalette(tips)
        app.setPalette(palette)
        QApplication.sendPostedEvents()  # the widgets take the palette, then restyle
        self._restyle()
