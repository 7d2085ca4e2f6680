"""Reading an article file of any usual kind into plain text, before cleaning.

Planners receive articles as saved web pages (``.html``, ``.htm``, ``.mhtml``),
Word documents (``.docx``), PDFs and plain text in UTF-8 or GBK. The kind is told
by the file's first bytes, not by its name: a ``.doc`` that WPS saved as HTML is
read as HTML, and a ``.pdf`` that is really a PNG is refused as an image.

Every file may be broken or hostile. Each refusal is one line
(:class:`ArticleReadError`, a :class:`~layers.io.text_files.TextFileError`), and
reading is bounded: files over :data:`MAX_ARTICLE_MB` are refused before they are
read, a ``.docx`` passes the zip limits of :mod:`layers.io.archives` before it is
opened, a PDF is read for at most :data:`MAX_PDF_PAGES` pages, and a web page's
main text is extracted (by trafilatura) only from at most :data:`MAX_HTML_MB` of
markup and :data:`MAX_EXTRACTOR_ELEMENTS` elements.
"""

from __future__ import annotations

import email
import email.policy
import functools
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from layers.io.text_files import TextFileError, decode_text

#: Largest article file read, in MB. A saved news page with its images inlined
#: (MHTML) or a long PDF report stays well below this.
MAX_ARTICLE_MB = 50
#: Largest web page (markup, after decoding) handed to the main-text extractor, in MB.
MAX_HTML_MB = 10
#: Most elements (after scripts and styles) of a page handed to the main-text extractor.
MAX_EXTRACTOR_ELEMENTS = 15_000
#: Most characters of text read (a 300-page report); the rest is left out, with a note.
MAX_ARTICLE_CHARS = 500_000
#: Most PDF pages read; a longer PDF is read up to here and says so.
MAX_PDF_PAGES = 300
#: Largest unpacked size of a ``.docx``, in MB (its text is small; images make it big).
MAX_DOCX_UNCOMPRESSED_MB = 300

_MB = 1_000_000

#: What the first bytes of a file say it is.
_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"BM": "a BMP image",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|"
                         rb"div|p|h1|article|table)\b", re.IGNORECASE | re.DOTALL)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]{2,40})",
                           re.IGNORECASE)
_MHTML_HEAD = re.compile(rb"^(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*){0,40}?"
                         rb"Content-Type:\s*multipart/related", re.IGNORECASE)
#: Encodings whose superset GB18030 decodes every page they label correctly.
_GB_FAMILY = {"gb2312", "gbk", "x-gbk", "gb_2312-80", "gb_2312", "cp936", "ms936", "euc-cn",
              "gb18030", "csgb2312", "iso-ir-58", "chinese"}
#: Sentence-ending marks after which a PDF line ends its paragraph.
_PARAGRAPH_END = tuple("。！？!?：:；;”」』）)")


class ArticleReadError(TextFileError):
    """An article file that cannot be read, with a one-line reason."""


@dataclass
class ArticleText:
    """An article file's text, before cleaning.

    Attributes
    ----------
    text : str
        Plain text, one paragraph per line; the title (when the file states one
        apart from its text) is the first line.
    title : str
        The title the file states (a page's ``<title>``/headline, a document's
        title property), or ``""``.
    kind : str
        ``"text"``, ``"html"``, ``"mhtml"``, ``"docx"`` or ``"pdf"``.
    encoding : str or None
        The text encoding used, for text and web pages.
    notes : list of str
        What was left out or repaired while reading, one line each, for the
        planner to see (pages without text, undecodable bytes, pages beyond the limit).
    """

    text: str
    title: str = ""
    kind: str = "text"
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)


def sniff(head: bytes, suffix: str = "") -> str:
    """Tell what kind of file ``head`` starts, by content first, then by suffix.

    Parameters
    ----------
    head : bytes
        The file's first few KB.
    suffix : str
        The file name's suffix, lower case with the dot (``".html"``), used only
        when the content does not say (a page without ``<html>``).

    Returns
    -------
    str
        ``"pdf"``, ``"zip"``, ``"ole2"`` (a legacy Office file), ``"rtf"``,
        ``"image:<what>"``, ``"mhtml"``, ``"html"`` or ``"text"``.
    """
    start = head.lstrip(b"\xef\xbb\xbf")
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(_OLE2):
        return "ole2"
    if start.startswith(b"{\\rtf"):
        return "rtf"
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            return f"image:{what}"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image:a WebP image"
    if _MHTML_HEAD.match(start):
        return "mhtml"
    if _HTML_START.match(start) or (suffix in (".html", ".htm", ".xhtml", ".shtml")
                                     and b"<" in start[:4096]):
        return "html"
    if suffix in (".mhtml", ".mht") and b"multipart/related" in start[:8192].lower():
        return "mhtml"
    return "text"


def read_article(path: str | os.PathLike) -> ArticleText:
    """Read an article file (text, web page, Word ``.docx`` or PDF) into plain text.

    Parameters
    ----------
    path : path-like
        The file.

    Returns
    -------
    ArticleText
        Its text, title and what reading left out.

    Raises
    ------
    ArticleReadError
        For a missing, empty, oversized, broken, encrypted, scanned or unsupported
        file, with a one-line reason that names the file.
    """
    article = _read_any(Path(path))
    if len(article.text) > MAX_ARTICLE_CHARS:
        cut = article.text.rfind("\n", 0, MAX_ARTICLE_CHARS)
        article.text = article.text[:cut if cut > 0 else MAX_ARTICLE_CHARS]
        article.notes.append(f"only the first {len(article.text):,} characters were read "
                             "(the file is far longer than an article)")
    return article


def _read_any(path: Path) -> ArticleText:
    name = path.name
    if not path.is_file():
        raise ArticleReadError(f"file not found: {path}")
    size = path.stat().st_size
    if size == 0:
        raise ArticleReadError(f"the file is empty: {name}")
    if size > MAX_ARTICLE_MB * _MB:
        raise ArticleReadError(f"{name} is too large for an article ({size / _MB:.0f} MB; "
                               f"the limit is {MAX_ARTICLE_MB} MB)")
    with path.open("rb") as fh:
        head = fh.read(16384)
    suffix = path.suffix.lower()
    kind = sniff(head, suffix)
    if kind.startswith("image:"):
        raise ArticleReadError(f"{name} is {kind[6:]}, not an article: OCR it into text first")
    if kind == "ole2":
        raise ArticleReadError(f"{name} is a legacy Office file (.doc): save it as .docx "
                               "(Word or WPS: File ▸ Save As) and import that")
    if kind == "rtf":
        raise ArticleReadError(f"{name} is an RTF document: save it as .docx and import that")
    if kind == "pdf":
        return _read_pdf(path)
    if kind == "zip":
        return _read_docx(path)
    if suffix in (".pdf", ".docx", ".doc"):
        # the name promises a binary format the content does not have: say so
        # rather than read, say, a truncated download as text
        if kind == "text" and not _is_text(head):
            raise ArticleReadError(f"{name} is not a real {suffix} file (its content is "
                                   "neither a PDF nor a Word document)")
    data = path.read_bytes()
    if kind == "mhtml":
        return _read_mhtml(data, name)
    if kind == "html":
        return _read_html(data, name)
    try:
        text, encoding = decode_text(data)
    except TextFileError as exc:
        raise ArticleReadError(f"{name}: {exc}") from None
    if not text.strip():
        raise ArticleReadError(f"{name} holds no text")
    if text.lstrip().startswith("<"):  # markup saved as .txt
        return _html_article(text, name, encoding, [], "html")
    return ArticleText(text, kind="text", encoding=encoding)


def _is_text(head: bytes) -> bool:
    try:
        decode_text(head[:-4] if len(head) > 8 else head)
    except TextFileError:
        return False
    return True


# --- web pages -------------------------------------------------------------------------


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode a web page in the encoding it declares, or else UTF-8 or GBK.

    A page's ``<meta charset>`` (or ``http-equiv`` content type) is believed when
    the page decodes in it; GB2312 and GBK are decoded as GB18030, their superset.
    A page that decodes in no encoding is decoded in its declared one with the
    undecodable bytes replaced, and says how many.

    Parameters
    ----------
    data : bytes
        The page.
    declared : str, optional
        An encoding stated outside the page (an MHTML part's charset).

    Returns
    -------
    (str, str, list of str)
        The text, the encoding used, and notes on what was repaired.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", []
    candidates = []
    m = _META_CHARSET.search(data[:16384])
    for label in (declared, m.group(1).decode("ascii") if m else None):
        if label:
            enc = label.strip().lower()
            candidates.append("gb18030" if enc in _GB_FAMILY else enc)
    for enc in candidates:
        try:
            return data.decode(enc), enc, []
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        text, enc = decode_text(data)
        return text, enc, []
    except TextFileError:
        pass
    enc = next((e for e in candidates if _known(e)), "utf-8")
    text = data.decode(enc, errors="replace")
    bad = text.count("\ufffd")
    return text, enc, [f"{bad} bytes that are not {enc} were replaced by �"]


def _known(encoding: str) -> bool:
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _read_html(data: bytes, name: str, declared: str | None = None,
               kind: str = "html") -> ArticleText:
    text, encoding, notes = decode_html(data, declared)
    return _html_article(text, name, encoding, notes, kind)


def _html_article(markup: str, name: str, encoding: str, notes: list[str],
                  kind: str) -> ArticleText:
    if len(markup) > MAX_HTML_MB * _MB:
        raise ArticleReadError(f"{name} holds {len(markup) / _MB:.0f} MB of markup, beyond "
                               f"the {MAX_HTML_MB} MB a news page has: is it a page at all?")
    notes = list(notes)
    title, body = _main_text(markup, notes)
    if not body.strip():
        # too little for the extractor to judge (a short page), or too big for it:
        # every block's text, without scripts, navigation, headers and footers
        body = html_to_text(markup)
    if not body.strip():
        raise ArticleReadError(f"{name} holds no text")
    first = body.lstrip().split("\n", 1)[0].strip()
    if title and title not in first:
        body = f"{title}\n{body}"
    return ArticleText(body, title=title, kind=kind, encoding=encoding, notes=notes)


#: Elements that hold no article text, removed before the extractor sees the page
#: (its fallback for short pages would keep a <nav>'s links).
_NO_TEXT_TAGS = ("script", "style", "svg", "noscript", "template", "iframe", "object", "nav",
                 "footer")


def _main_text(markup: str, notes: list[str]) -> tuple[str, str]:
    """Return a page's title and main text, without navigation, ads and footers.

    The extractor (trafilatura) takes time in proportion to the page's elements;
    a page with more than :data:`MAX_EXTRACTOR_ELEMENTS` (a news page has a few
    thousand) is not given to it, and all its text is kept instead, with a note.
    """
    import lxml.etree
    import lxml.html

    try:
        # lxml parses in linear time and never fetches anything (no DTDs, no entities)
        tree = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return "", ""
    lxml.etree.strip_elements(tree, *_NO_TEXT_TAGS, lxml.etree.Comment, with_tail=False)
    count = sum(1 for _ in tree.iter())
    if count > MAX_EXTRACTOR_ELEMENTS:
        notes.append(f"the page has {count} elements, too many to tell its article from "
                     "its menus and ads: all its text was kept")
        return "", _tree_text(tree)
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(tree, fast=True, with_metadata=True,
                                          include_comments=False, include_tables=True,
                                          include_images=False, include_links=False,
                                          deduplicate=False)
    except Exception:  # noqa: BLE001 - the extractor gives up on odd markup; fall back
        return "", ""
    if doc is None:
        return "", ""
    title = re.sub(r"\s+", " ", getattr(doc, "title", None) or "").strip()
    body = getattr(doc, "text", None) or ""
    return title, body


_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
           "article", "title", "td", "dd", "dt", "blockquote")


def _tree_text(tree: object) -> str:
    """Every block's text of a parsed page, one per line, as :func:`html_to_text` does."""
    import lxml.etree

    lxml.etree.strip_elements(tree, "nav", "header", "footer", "form", "select", "button",
                              with_tail=False)
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
        element.text = "\n" + (element.text or "")
    lines = (re.sub(r"[ \t\xa0]+", " ", ln).strip() for ln in tree.text_content().split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _read_mhtml(data: bytes, name: str) -> ArticleText:
    """Read a page saved as one MHTML file (Chrome, Edge, IE): its first HTML part."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
    except Exception:  # noqa: BLE001 - any malformed MIME
        raise ArticleReadError(f"{name} is not a readable MHTML page") from None
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes) or not payload.strip():
                continue
            return _read_html(payload, name, part.get_content_charset(), kind="mhtml")
    raise ArticleReadError(f"{name} is an MHTML file with no web page in it")


def html_to_text(html: str) -> str:
    """Turn an HTML page into plain text, one block element per line.

    Scripts, styles, navigation, headers and footers are dropped.

    Parameters
    ----------
    html : str
        The page.

    Returns
    -------
    str
        Plain text.
    """
    from html.parser import HTMLParser

    blocks = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "title", "td", "dd", "dt", "blockquote"}
    skip = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "svg", "form",
            "select", "button"}

    class _Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag in skip:
                self.skipping += 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in skip and self.skipping:
                self.skipping -= 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skipping:
                self.parts.append(data.replace("\n", " "))

    parser = _Parser()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\xa0]+", " ", ln).strip() for ln in "".join(parser.parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


# --- Word ---------------------------------------------------------------------------------


def _read_docx(path: Path) -> ArticleText:
    """Read a ``.docx``: its paragraphs and table rows in document order."""
    from layers.io.archives import ArchiveError, ArchiveLimits, check_zip

    name = path.name
    try:
        members = check_zip(path, ArchiveLimits(max_uncompressed_mb=MAX_DOCX_UNCOMPRESSED_MB))
    except ArchiveError as exc:  # the --max-zip-ratio hint belongs to `import`, not here
        raise ArticleReadError(str(exc).split("; raise it with")[0]) from None
    if "word/document.xml" not in members:
        what = ("an Excel workbook" if any(m.startswith("xl/") for m in members) else
                "a PowerPoint file" if any(m.startswith("ppt/") for m in members) else
                "a zip archive")
        raise ArticleReadError(f"{name} is {what}, not a Word document")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend(_table_rows(block))
        title = (document.core_properties.title or "").strip()
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on broken XML
        raise ArticleReadError(f"{name} is a damaged Word document ({type(exc).__name__})"
                               ) from None
    text = "\n".join(line.strip() for line in lines if line.strip())
    if not text:
        raise ArticleReadError(f"{name} holds no text")
    return ArticleText(text, title=title, kind="docx")


def _table_rows(table: object) -> list[str]:
    """One line per table row, its cells joined by "；" (merged cells once)."""
    out = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            nested = [r for t in cell.tables for r in _table_rows(t)]
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            cells.extend(x for x in [text, *nested] if x)
        if cells:
            out.append("；".join(cells))
    return out


# --- PDF ----------------------------------------------------------------------------------


def _read_pdf(path: Path) -> ArticleText:
    """Read a PDF's text layer, page by page, joining lines back into paragraphs."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PdfStreamError

    name = path.name
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings on odd PDFs are ours to say
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                # most "protected" PDFs only forbid editing: the empty password opens them
                if not reader.decrypt(""):
                    raise FileNotDecryptedError("password")
            except (FileNotDecryptedError, NotImplementedError, ValueError):
                raise ArticleReadError(f"{name} is password-protected: open it in a PDF "
                                       "reader with its password and save a copy without"
                                       ) from None
            except Exception as exc:  # noqa: BLE001 - e.g. missing AES support
                raise ArticleReadError(f"{name} is encrypted in a way that cannot be opened "
                                       f"here ({type(exc).__name__})") from None
        pages = reader.pages
        total = len(pages)
        notes = []
        texts = []
        empty = 0
        for number in range(min(total, MAX_PDF_PAGES)):
            try:
                page_text = pages[number].extract_text() or ""
            except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError,
                    AttributeError, IndexError, ZeroDivisionError, RecursionError) as exc:
                notes.append(f"page {number + 1} could not be read ({type(exc).__name__})")
                continue
            if not page_text.strip():
                empty += 1
            texts.append(page_text)
        title = ""
        try:
            meta = reader.metadata
            title = str(meta.title or "").strip() if meta else ""
        except Exception:  # noqa: BLE001 - broken metadata leaves the title out
            title = ""
    except ArticleReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken files
        raise ArticleReadError(f"{name} is a damaged PDF ({type(exc).__name__}: "
                               f"{str(exc)[:80]})") from None
    if total == 0:
        raise ArticleReadError(f"{name} is a PDF without pages")
    if not any(t.strip() for t in texts):
        raise ArticleReadError(f"{name}: this PDF has no text layer (a scan?): OCR it first")
    if empty:
        notes.append(f"{empty} of {total} pages have no text (scanned?) and were left out")
    if total > MAX_PDF_PAGES:
        notes.append(f"only the first {MAX_PDF_PAGES} of {total} pages were read")
    text = unify_ideographs(_pdf_paragraphs("\n".join(texts)))
    title = unify_ideographs(title)
    return ArticleText(text, title=title, kind="pdf", notes=notes)


#: CJK Radicals Supplement characters that PDF fonts map their glyphs to instead of
#: the ideograph (⻝ for 食, ⻔ for 门): each one's equivalent unified ideograph, from
#: Unicode's EquivalentUnifiedIdeograph.txt. Kangxi radicals (⽼ for 老) and
#: compatibility ideographs have NFKC forms and are added below.
_RADICALS = ("⺁厂⺅亻⺆冂⺉刂⺊卜⺋㔾⺌小⺍小⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺗㣺⺘扌⺙攵⺛旡"
             "⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫⺦丬⺧牜⺨犭⺩王⺪疋⺫罒⺬示⺭礻⺮竹⺯糹"
             "⺰纟⺱罓⺲罒⺳㓁⺶羊⺷羊⺹耂⺺肀⺻聿⺼月⺽臼⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角"
             "⻈讠⻉贝⻋车⻌辶⻍辶⻎辶⻏阝⻐钅⻑長⻒镸⻓长⻔门⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食"
             "⻟飠⻠饣⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻭歯⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟")


@functools.lru_cache(maxsize=1)
def _ideograph_table() -> dict[int, str]:
    table = {ord(_RADICALS[i]): _RADICALS[i + 1] for i in range(0, len(_RADICALS), 2)}
    for code in (*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00)):
        norm = unicodedata.normalize("NFKC", chr(code))
        if len(norm) == 1 and norm != chr(code):
            table[code] = norm
    return table


def unify_ideographs(text: str) -> str:
    """Replace radical and compatibility characters by the ideographs they stand for.

    Text copied out of a PDF often holds ``⽼年⻝堂`` for 老年食堂: the font maps its
    glyphs to radicals. Each is replaced by one character, so lengths and offsets
    do not change; nothing else (full-width punctuation included) is touched.

    Parameters
    ----------
    text : str
        Text from a PDF.

    Returns
    -------
    str
        The same text with unified ideographs.
    """
    return text.translate(_ideograph_table())


_PAGE_NUMBER = re.compile(r"^(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|-?\s*\d{1,4}\s*-?|"
                          r"\d{1,4}\s*/\s*\d{1,4}|page\s+\d+(?:\s+of\s+\d+)?)$", re.IGNORECASE)


def _width(line: str) -> int:
    """Display width: a Chinese character counts two, as in the PDF's line."""
    return sum(2 if ord(c) > 0x2e7f else 1 for c in line)


def _pdf_paragraphs(page: str) -> str:
    """Join a PDF's lines into paragraphs, across page breaks too.

    A PDF breaks lines where the page is full, not where a sentence ends. A line
    ends its paragraph when it ends a sentence or is clearly shorter than the
    document's full lines; page numbers are dropped.
    """
    lines = [ln.strip() for ln in page.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln and not _PAGE_NUMBER.match(ln)]
    if not lines:
        return ""
    widths = sorted(_width(ln) for ln in lines)
    full = widths[int(0.8 * (len(widths) - 1))]
    out: list[str] = []
    current = ""
    for ln in lines:
        if current:
            joiner = " " if current[-1].isascii() and ln[0].isascii() else ""
            current += joiner + ln
        else:
            current = ln
        if ln.endswith(_PARAGRAPH_END) or _width(ln) < 0.8 * full:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n".join(out)
