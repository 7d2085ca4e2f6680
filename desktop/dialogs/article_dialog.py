"""Showing a facility's source article, with its quotes highlighted."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.i18n import tr
from layers.articles.dataset import ARTICLES_DIR, source_file, split_quote

#: The anchor before the first highlighted passage; the viewer scrolls to it.
FIRST_QUOTE_ANCHOR = "first-quote"


def article_html(source: str, quote: str) -> str | None:
    """Return the cleaned article as HTML with the quote passages highlighted.

    Parameters
    ----------
    source : str
        The feature's ``source`` field (file name first).
    quote : str
        The feature's ``quote`` field.

    Returns
    -------
    str or None
        Escaped HTML, or None when the article file is not available.
    """
    from layers.articles.cleaning import clean_article_file

    path = ARTICLES_DIR / source_file(source)
    if not source_file(source) or not path.is_file():
        return None
    text = clean_article_file(path).text
    marks: list[tuple[int, int]] = []
    for passage in split_quote(quote):
        start = text.find(passage)
        if start >= 0:
            marks.append((start, start + len(passage)))
    marks.sort()
    out, pos = [], 0
    for a, b in marks:
        if a < pos:
            continue
        out.append(html.escape(text[pos:a]))
        mark = f'<span style="background:#ffe066">{html.escape(text[a:b])}</span>'
        if pos == 0:  # the viewer opens here
            mark = f'<a name="{FIRST_QUOTE_ANCHOR}">{mark}</a>'
        out.append(mark)
        pos = b
    out.append(html.escape(text[pos:]))
    body = "".join(out).replace("\n", "<br/><br/>")
    return f"<h3>{html.escape(source)}</h3><p style='line-height:150%'>{body}</p>"


class ArticleDialog(QDialog):
    """A read-only view of a source article.

    Parameters
    ----------
    source : str
        The ``source`` field.
    quote : str
        The ``quote`` field, highlighted in the text.
    parent : QWidget, optional
        Parent.
    """

    def __init__(self, source: str, quote: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Source article"))
        self.resize(720, 640)
        self.browser = QTextBrowser()
        content = article_html(source, quote)
        if content is None:
            content = "<p>" + html.escape(tr("The source article is not available.")) + "</p>"
        self.browser.setHtml(content)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        """Open at the highlighted quote, once the text is laid out."""
        super().showEvent(event)
        QTimer.singleShot(0, lambda: self.browser.scrollToAnchor(FIRST_QUOTE_ANCHOR))
