"""Other people's layers in the article: shown read-only and dimmed, one toggle each.

The window edits one layer, the current annotator's. View › Layers lists every
other person's layer (and gold) with a check box; the layers ticked are drawn
faintly under one's own spans, with a dotted underline, and cannot be selected,
edited or deleted. Suggestion layers (``suggest:*``) are not listed here: they
have their own part. Which layers are shown is remembered per project.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMenu, QWidget

from annotator.core.layers import is_suggestion
from annotator.ui.settings import project_key

if TYPE_CHECKING:
    from annotator.core.project import Project
    from annotator.ui.article_view import ArticleView


class LayerToggles(QObject):
    """View › Layers: a checkable action per other layer; the view shows those ticked."""

    def __init__(
        self,
        parent: QWidget,
        *,
        menu: QMenu,
        settings: QSettings,
        project: Callable[[], Project | None],
        document_id: Callable[[], int | None],
        view: ArticleView,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._project = project
        self._document_id = document_id
        self.view = view
        self.menu = menu.addMenu("&Layers")
        self.menu.aboutToShow.connect(self.fill_menu)

    def others(self) -> list[str]:
        """Layers that can be shown beside one's own: people's and gold."""
        project = self._project()
        if project is None:
            return []
        mine = project.annotator
        return [name for name in project.layers() if name != mine and not is_suggestion(name)]

    def shown(self) -> list[str]:
        """The other layers ticked for this project (of those that exist)."""
        project = self._project()
        if project is None:
            return []
        value = self._settings.value(project_key(project.path, "shown_layers")) or []
        ticked = {value} if isinstance(value, str) else {str(v) for v in value}
        return [name for name in self.others() if name in ticked]

    def set_shown(self, layer: str, shown: bool) -> None:
        """Tick or untick ``layer`` (remembered) and redraw the article."""
        project = self._project()
        if project is None:
            return
        key = project_key(project.path, "shown_layers")
        value = self._settings.value(key) or []
        ticked = {value} if isinstance(value, str) else {str(v) for v in value}
        if shown:
            ticked.add(layer)
        else:
            ticked.discard(layer)
        self._settings.setValue(key, sorted(ticked))
        self.refresh()

    def fill_menu(self) -> None:
        """The menu anew each time it opens: layers come and go with imports."""
        self.menu.clear()
        others = self.others()
        if not others:
            self.menu.addAction("(no other layers)").setEnabled(False)
            return
        shown = set(self.shown())
        for name in others:
            action = self.menu.addAction(name.replace("&", "&&"))
            action.setCheckable(True)
            action.setChecked(name in shown)
            action.toggled.connect(lambda on, layer=name: self.set_shown(layer, on))

    def refresh(self) -> None:
        """Read the shown layers' spans of the open document into the view."""
        project, document_id = self._project(), self._document_id()
        if project is None or document_id is None:
            self.view.set_other_layers([], lambda _name, _before: [])
            return
        self.view.set_other_layers(
            self.shown(),
            lambda layer, before: project.span_extents(document_id, layer, starting_before=before),
        )
