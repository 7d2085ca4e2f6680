"""Cleaning news articles: page chrome, pinyin readings, Traditional script, repeats.

The cleaned text keeps, for every character, its offset in the original text,
so a quote found in the cleaned text can be shown in the source as published.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

#: Bracketed pinyin after a Chinese word: ``建设(jiànshè)``, ``區(qū)``, ``的(de)``.
_LETTER = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]"
_SYLLABLES = rf"{_LETTER}{{1,40}}(?:\s{_LETTER}{{1,20}}){{0,6}}"
_TONED = r"(?=[^)）]{0,60}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ])"
_PINYIN = re.compile(
    rf"(?:(?<=[\u3400-\u9fff])(?:[(（]{_SYLLABLES}[)）])+"
    # after garbled characters, only readings with tone marks count
    rf"|(?<=[^A-Za-z0-9\s])[(（]{_TONED}{_SYLLABLES}[)）]"
    # a reading whose opening bracket was garbled into "?" by a bad re-encoding
    rf"|(?<=[?？]){_TONED}{_SYLLABLES}[)）])"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_SENTENCE_PUNCT = re.compile(r"[。，,！？!?；;：:、“”\"]")
#: Lines after which a page carries only chrome: editor, copyright, related links.
_END_MARKERS = re.compile(
    r"^[(（]?(责编|责任编辑)[:：]|^版权|^相关推荐|^相关阅读|^相关新闻|^分享让更多人看到|"
    r"^扫一扫在手机|^评论列表|^[—-]{1,3}\s*END\s*[—-]{1,3}$"
)
#: Single lines of page chrome anywhere in the page.
_CHROME_LINE = re.compile(
    r"^(打印|分享到|下载APP|返回顶部|小字号|大字号|中字号|[【\[]?(打印|关闭)(本页|窗口)[】\]]?|"
    r"来源[:：].{0,20}|编辑[:：].{0,20}|审核[:：].{0,20}|信息来源[:：].{0,20}|"
    r"发布时间[:：].{0,30}|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}\s*\|?.{0,20}|"
    r".{0,12}(?:点个|点亮|点击)[“\"]?(?:在看|赞)[”\"]?.{0,8}|.{0,6}点击蓝字.{0,8})$"
)
_PUBLISHED = re.compile(
    r"(?:发布时间[:：]\s*)?(\d{4})[-年/](\d{1,2})[-月/](\d{1,2})日?\s*(\d{1,2}:\d{2})?"
)
_ASCII_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}


@dataclass
class CleanArticle:
    """An article after cleaning.

    Attributes
    ----------
    text : str
        Cleaned, Simplified-Chinese text, one paragraph per line.
    offsets : list of int
        ``offsets[i]`` is the index in :attr:`original` of ``text[i]``.
    original : str
        The text as read.
    title : str
        The first paragraph that reads as a headline.
    published : str or None
        Publication date ``YYYY-MM-DD`` when the page states one.
    dropped : list of str
        Lines removed as page chrome or repeats, for review.
    notes : list of str
        What reading the file left out or repaired (pages without text), one line each.
    """

    text: str
    offsets: list[int]
    original: str
    title: str = ""
    published: str | None = None
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of the cleaned text to the original text.

        Parameters
        ----------
        start, end : int
            Span in :attr:`text`.

        Returns
        -------
        (int, int)
            The span in :attr:`original` that covers it.
        """
        if not self.offsets or end <= start:
            return (0, 0)
        return (self.offsets[start], self.offsets[end - 1] + 1)

    def find(self, quote: str) -> int:
        """Return the offset of ``quote`` in the cleaned text, or -1.

        Parameters
        ----------
        quote : str
            Text to find verbatim.

        Returns
        -------
        int
            Offset, or -1 when absent.
        """
        return self.text.find(quote)


@functools.lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - an opencc.OpenCC
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified with OpenCC.

    Parameters
    ----------
    text : str
        Any Chinese text.

    Returns
    -------
    str
        Simplified text.
    """
    return _converter().convert(text)


def _convert_chars(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Convert a line to Simplified while keeping each character's offset."""
    line = "".join(c for c, _ in chars)
    simple = to_simplified(line)
    if len(simple) == len(line):
        return [(s, off) for s, (_, off) in zip(simple, chars, strict=True)]
    out = []  # a phrase changed length: fall back to per-character conversion
    for ch, off in chars:
        for s in to_simplified(ch):
            out.append((s, off))
    return out


def _normalise_chars(chars: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Collapse white space, drop bullets, use full-width punctuation after Chinese."""
    out: list[tuple[str, int]] = []
    for ch, off in chars:
        if ch == "\u30fb":
            ch = "·"  # the katakana middle dot some sites use for ·
        if ch == "·" and out and out[-1][0] != " ":
            pass  # inside a name (“衢州有礼·荷花书房”, 阿卜杜·热合曼): kept
        elif ch in "\u3000\t\xa0 •·":
            if ch in "•·" and (not out or out[-1][0] == " "):
                continue
            ch = " "
            if not out or out[-1][0] == " ":
                continue
        elif ch in _ASCII_TO_FULL and out and (_CJK.match(out[-1][0]) or out[-1][0] in "”’」』"):
            ch = _ASCII_TO_FULL[ch]
        out.append((ch, off))
    while out and out[-1][0] == " ":
        out.pop()
    return out


def _strip_pinyin(line: str, start: int) -> list[tuple[str, int]]:
    chars: list[tuple[str, int]] = []
    pos = 0
    for m in _PINYIN.finditer(line):
        chars.extend((line[i], start + i) for i in range(pos, m.start()))
        pos = m.end()
    chars.extend((line[i], start + i) for i in range(pos, len(line)))
    return chars


def _is_short_chrome(simple: str) -> bool:
    return len(simple) <= 8 and not _SENTENCE_PUNCT.search(simple)


def clean_article(original: str) -> CleanArticle:
    """Clean a news article's text.

    Steps, in order: split into lines; drop page chrome (toolbar word runs,
    print/share links, editor and copyright lines, and everything after them);
    strip bracketed pinyin; convert to Simplified Chinese; normalise white space
    and punctuation; drop repeated paragraphs and repeated headline prefixes.

    Parameters
    ----------
    original : str
        The article as text (files are read first, see
        :func:`clean_article_file`).

    Returns
    -------
    CleanArticle
        Clean text with offsets back into ``original``.
    """
    original = original.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines: list[tuple[str, int]] = []
    pos = 0
    for line in original.split("\n"):
        raw_lines.append((line, pos))
        pos += len(line) + 1

    simple_lines = [
        to_simplified(_PINYIN.sub("", line)).strip(" \t\u3000\xa0•·") for line, _ in raw_lines
    ]
    dropped: list[str] = []
    published = None
    keep = [bool(s) for s in simple_lines]

    # Runs of four or more short, unpunctuated lines are menus and toolbars.
    i = 0
    while i < len(simple_lines):
        j = i
        while j < len(simple_lines) and (not simple_lines[j] or _is_short_chrome(simple_lines[j])):
            j += 1
        if sum(1 for k in range(i, j) if simple_lines[k]) >= 4:
            for k in range(i, j):
                keep[k] = False
            i = j
        else:
            i = max(j, i + 1)

    seen_short: dict[str, int] = {}
    for k, s in enumerate(simple_lines):
        if not s:
            continue
        if published is None:
            m = _PUBLISHED.search(s)
            if m and (s.startswith("发布时间") or _CHROME_LINE.match(s) or len(s) < 24):
                published = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        if _END_MARKERS.search(s):
            for rest in range(k, len(simple_lines)):
                keep[rest] = False
            break
        if _CHROME_LINE.match(s):
            keep[k] = False
        if _is_short_chrome(s) and not s.startswith("【"):
            seen_short[s] = seen_short.get(s, 0) + 1
    for k, s in enumerate(simple_lines):
        if keep[k] and seen_short.get(s, 0) > 1:
            keep[k] = False  # a site name repeated in the page header

    out_chars: list[tuple[str, int]] = []
    # lines of 10+ characters kept so far, by order of appearance, and their lengths:
    # finding a repeated headline is then one look-up per length, not a scan of all
    # lines (which made a page of many short lines take minutes)
    seen_lines: dict[str, int] = {}
    seen_lengths: set[int] = set()
    seen_set: set[str] = set()
    for k, (line, start) in enumerate(raw_lines):
        if not keep[k]:
            if simple_lines[k]:
                dropped.append(simple_lines[k])
            continue
        chars = _normalise_chars(_convert_chars(_strip_pinyin(line, start)))
        text = "".join(c for c, _ in chars)
        if not text:
            continue
        if len(text) >= 12 and text in seen_set:
            dropped.append(text)
            continue
        repeats = [text[:n] for n in seen_lengths if n < len(text) and text[:n] in seen_lines]
        if repeats:  # a headline repeated in front of the byline: the first one seen
            prev = min(repeats, key=seen_lines.__getitem__)
            chars = chars[len(prev):]
            while chars and chars[0][0] == " ":
                chars = chars[1:]
            dropped.append(prev)
            text = "".join(c for c, _ in chars)
        if not text or (len(text) >= 12 and text in seen_set):
            continue
        seen_set.add(text)
        if len(text) >= 10 and text not in seen_lines:
            seen_lines[text] = len(seen_lines)
            seen_lengths.add(len(text))
        if out_chars:
            out_chars.append(("\n", chars[0][1] - 1 if chars[0][1] > 0 else 0))
        out_chars.extend(chars)

    text = "".join(c for c, _ in out_chars)
    offsets = [o for _, o in out_chars]
    title = text.split("\n", 1)[0] if text else ""
    return CleanArticle(text, offsets, original, title=title, published=published,
                        dropped=dropped)


def clean_article_file(path: str | Path) -> CleanArticle:
    """Read and clean an article file: text (UTF-8 or GBK), web page, ``.docx`` or PDF.

    The file's kind is told by its content (:func:`layers.articles.reading.read_article`);
    the cleaning then runs on its text as on any article.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    CleanArticle
        The cleaned article; :attr:`CleanArticle.notes` says what reading left out.

    Raises
    ------
    layers.articles.reading.ArticleReadError
        (a :class:`layers.io.text_files.TextFileError`) with a one-line reason
        when the file cannot be read.
    """
    from layers.articles.reading import read_article

    read = read_article(path)
    article = clean_article(read.text)
    article.notes = list(read.notes)
    if read.title:
        # a document's stated title, when one of its first lines is that title (a stale
        # template title, or a word of the headline, is not)
        title = " ".join(to_simplified(read.title).split())
        if title and title in article.text.split("\n")[:5]:
            article.title = title
    return article
