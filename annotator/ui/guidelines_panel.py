"""The guidelines panel (F4): the project's Markdown guidelines beside the article.

Loaded when first shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QMainWindow, QTextBrowser

NO_GUIDELINES = (
    "This project has no guidelines yet.\n\n"
    "Store a Markdown file as its guidelines with\n\n"
    "    annotator guidelines PROJECT --set guide.md"
)


class GuidelinesPanel(QDockWidget):
    """The project's guidelines, rendered by Qt's own Markdown; links open outside."""

    def __init__(self, parent: QMainWindow) -> None:
        super().__init__("Guidelines", parent)
        self.setObjectName("guidelinesPanel")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setOpenLinks(True)
        self.setWidget(self.browser)

    def show_guidelines(self, markdown: str) -> None:
        if markdown.strip():
            self.browser.setMarkdown(markdown)
        else:
            self.browser.setPlainText(NO_GUIDELINES)
