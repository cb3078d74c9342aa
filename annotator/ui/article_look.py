"""The article's font, line spacing and arcs: View › Font…, View › Line spacing and
View › Show relations.

All are remembered. While relations are shown (and the project has relation
types), every line keeps a band above it for arcs, so the text never moves as
relations come and go; hiding them closes the lines up. The font dialog is made
only when it is first asked for, so start-up pays for neither; zoom (Ctrl++ /
Ctrl+-) works on top of the font chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QActionGroup, QFont
from PySide6.QtWidgets import QMenu, QWidget

from annotator.ui.actions import make_action
from annotator.ui.spacing import SPACINGS

if TYPE_CHECKING:
    from annotator.ui.article_view import ArticleView

FONT_SETTING = "article/font"
SPACING_SETTING = "article/line_spacing"
RELATIONS_SETTING = "article/relations"


def spacing_name(factor: float) -> str:
    return {1.0: "Single", 2.0: "Double"}.get(factor, f"{factor:g}")


class ArticleLook(QObject):
    """The font and the line spacing of the article, with their View menu entries."""

    def __init__(
        self,
        parent: QWidget,
        *,
        menu: QMenu,
        settings: QSettings,
        view: ArticleView,
        zoom: Callable[[], int],
        say: Callable[[str], None],
        relaid: Callable[[], None] = lambda: None,
    ) -> None:
        """``relaid`` is called after the lines were spaced anew (whatever is marked by
        line positions, such as find hits, is made again)."""
        super().__init__(parent)
        self._parent = parent
        self._settings = settings
        self.view = view
        self._zoom = zoom
        self.say = say
        self._relaid = relaid
        self.default_font = QFont(view.font())
        self.font_action = make_action(parent, "&Font…", self.ask_font)
        menu.addAction(self.font_action)
        self.spacing_menu = menu.addMenu("Line &spacing")
        group = QActionGroup(self)
        self.spacing_actions = {}
        for factor in SPACINGS:
            action = self.spacing_menu.addAction(spacing_name(factor))
            action.setCheckable(True)
            action.triggered.connect(lambda _=False, f=factor: self.set_spacing(f))
            group.addAction(action)
            self.spacing_actions[factor] = action
        self.relations_action = make_action(parent, "Show &relations", self.toggle_relations)
        self.relations_action.setCheckable(True)
        self.relations_action.setChecked(True)
        menu.addAction(self.relations_action)
        self._restore()

    def _restore(self) -> None:
        saved = self._settings.value(FONT_SETTING)
        if saved:
            font = QFont()
            if font.fromString(str(saved)):
                self._apply_font(font)
        try:
            factor = float(str(self._settings.value(SPACING_SETTING) or 1.0))
        except ValueError:
            factor = 1.0
        factor = factor if factor in SPACINGS else 1.0
        self.spacing_actions[factor].setChecked(True)
        if factor != 1.0:
            self.view.set_line_spacing(factor)
        if str(self._settings.value(RELATIONS_SETTING, "true")).lower() == "false":
            self.relations_action.setChecked(False)
            self.view.set_relations_shown(False)

    def base_font(self) -> QFont:
        """The font chosen (or the default), before any zoom."""
        saved = self._settings.value(FONT_SETTING)
        font = QFont()
        if saved and font.fromString(str(saved)):
            return font
        return QFont(self.default_font)

    def ask_font(self) -> None:
        from PySide6.QtWidgets import QFontDialog  # a dialog: made when first used

        dialog = QFontDialog(self.base_font(), self._parent)
        dialog.setWindowTitle("Font of the article")
        accepted = dialog.exec()
        font = dialog.selectedFont()
        dialog.deleteLater()
        self._parent.activateWindow()  # the keys go back to the window
        if accepted:
            self.set_font(font)

    def set_font(self, font: QFont) -> None:
        """Show the article in ``font`` (zoom kept), and remember it."""
        self._settings.setValue(FONT_SETTING, font.toString())
        self._apply_font(font)
        self.say(f"Article font: {font.family()} {font.pointSizeF():g} pt")

    def _apply_font(self, font: QFont) -> None:
        self.view.set_article_font(font)
        zoom = self._zoom()
        if zoom:
            self.view.zoom_by(zoom)

    def set_spacing(self, factor: float) -> None:
        """Lines ``factor`` times their height apart (one of SPACINGS), remembered."""
        if factor not in SPACINGS:
            return
        self._settings.setValue(SPACING_SETTING, factor)
        self.spacing_actions[factor].setChecked(True)
        self.view.set_line_spacing(factor)
        self._relaid()
        self.say(f"Line spacing: {spacing_name(factor)}")

    def toggle_relations(self) -> None:
        """View › Show relations: arcs and the room above every line kept for them, or
        neither (the lines close up); remembered."""
        shown = self.relations_action.isChecked()
        self._settings.setValue(RELATIONS_SETTING, "true" if shown else "false")
        self.view.set_relations_shown(shown)
        self.say("Relations shown above the lines" if shown else "Relations hidden")
