"""Articles as planners receive them: saved web pages, Word, PDF, GBK text, broken files."""

import email.charset
import email.mime.multipart
import email.mime.text
import os
import subprocess
import sys
import zipfile

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from layers.articles.cleaning import clean_article, clean_article_file
from layers.articles.extraction import extract
from layers.articles.reading import ArticleReadError, read_article, sniff
from layers.io.text_files import TextFileError, read_text
from tests.conftest import REPO

HERE = REPO / "tests" / "articles"
PAGE = HERE / "saved_page_gbk.html"
PDF = HERE / "article_qt.pdf"
HEADLINE = "翠光社区老年食堂开张 居民家门口吃上热乎饭"


def _proposals(article):
    result = extract(article)
    return ({c.name for c in result.communities},
            {(f.category, f.community) for f in result.facilities},
            {(f.kind, f.value) for f in result.facts})


def test_saved_gbk_page_keeps_the_article_and_its_title_without_menus_and_ads():
    assert b"charset=gb2312" in PAGE.read_bytes()[:400]
    article = clean_article_file(PAGE)
    assert article.title == HEADLINE
    assert "老年食堂正式开张" in article.text
    for junk in ("登录", "时政", "装修贷款", "话费红包", "热门推荐", "灵山江夜景", "版权所有",
                 "网站地图", "广告位", "_hmt"):
        assert junk not in article.text, junk
    comms, facs, facts = _proposals(article)
    # the shed is in 世纪花园, an estate of 翠光社区: either is a fair reading
    assert "翠光社区" in comms and comms <= {"翠光社区", "世纪花园"}
    assert ("canteen", "翠光社区") in facs
    assert ("charging_shed", "翠光社区") in facs or ("charging_shed", "世纪花园") in facs
    assert {("area", 300.0), ("households", 2100.0)} <= facts


def test_pdf_made_by_qt_reads_in_order_with_real_ideographs():
    read = read_article(PDF)
    assert read.kind == "pdf"
    # the font maps 食 to the radical ⻝ and 老 to ⽼: the text has the ideographs
    assert "老年食堂" in read.text and "⻝" not in read.text and "⽼" not in read.text
    # lines broken by the page width are joined into their paragraphs, in order
    lines = read.text.split("\n")
    assert len(lines) == 4
    assert lines[1].startswith("本报讯") and lines[1].endswith("提供午餐和晚餐。")
    assert lines[3].startswith("据了解")
    article = clean_article_file(PDF)
    assert article.title == HEADLINE
    assert _proposals(article) == _proposals(clean_article_file(PAGE))


def test_docx_paragraphs_and_table_rows_in_document_order(tmp_path):
    document = docx.Document()
    document.core_properties.title = "党群服务站建设情况"
    document.add_heading("城南街道党群服务站建设情况", level=1)
    document.add_paragraph("城南街道桂花社区新建党群服务站一处，面积约120平方米。")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["社区", "设施", "面积"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["桂花社区", "社区食堂", "200平方米"], strict=True):
        cell.text = text
    document.add_paragraph("今年，桂花社区新建了电动自行车充电棚。")
    path = tmp_path / "report.docx"
    document.save(path)
    read = read_article(path)
    assert read.kind == "docx" and read.title == "党群服务站建设情况"
    assert read.text.split("\n") == [
        "城南街道党群服务站建设情况", "城南街道桂花社区新建党群服务站一处，面积约120平方米。",
        "社区；设施；面积", "桂花社区；社区食堂；200平方米",
        "今年，桂花社区新建了电动自行车充电棚。"]
    article = clean_article_file(path)
    assert article.title == "城南街道党群服务站建设情况"  # the stated title is not a line
    comms, facs, facts = _proposals(article)
    assert "桂花社区" in comms
    assert {"service_station", "canteen", "charging_shed"} <= {c for c, _ in facs}
    assert ("area", 200.0) in facts


def test_mhtml_page_is_read_from_its_html_part(tmp_path):
    message = email.mime.multipart.MIMEMultipart("related")
    message["Subject"] = HEADLINE
    part = email.mime.text.MIMEText("", "html")
    part.set_payload(PAGE.read_bytes(), charset=email.charset.Charset("gbk"))
    message.attach(part)
    path = tmp_path / "page.mhtml"
    path.write_bytes(b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://x/\r\n"
                     + message.as_bytes())
    read = read_article(path)
    assert read.kind == "mhtml" and read.title == HEADLINE
    assert "老年食堂正式开张" in read.text and "话费红包" not in read.text


def test_page_with_a_wrong_charset_is_still_read(tmp_path):
    page = tmp_path / "wrong.htm"
    page.write_bytes(PAGE.read_bytes().replace(b"charset=gb2312", b"charset=utf-8"))
    assert "老年食堂正式开张" in read_article(page).text
    utf8 = tmp_path / "utf8.html"
    utf8.write_bytes(PAGE.read_bytes().decode("gbk").replace("gb2312", "utf-8").encode())
    assert read_article(utf8).encoding == "utf-8"


def test_plain_text_articles_read_as_before():
    """The bundled .txt articles give the same text as before the other formats."""
    paths = [*sorted((REPO / "data" / "articles").glob("*.txt")), *sorted(HERE.glob("*.txt"))]
    assert len(paths) == 7
    for path in paths:
        old = clean_article(read_text(path)[0])
        new = clean_article_file(path)
        assert (new.text, new.offsets, new.title, new.dropped) == (
            old.text, old.offsets, old.title, old.dropped), path.name
        assert new.notes == []


def test_gbk_text_article(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("朝阳区望京街道光明社区新建了社区食堂。".encode("gbk"))
    read = read_article(path)
    assert read.encoding == "gb18030" and read.text.startswith("朝阳区")


def test_sniffing_by_content_not_by_name():
    assert sniff(b"%PDF-1.7\n", ".txt") == "pdf"
    assert sniff(b"PK\x03\x04rest", ".pdf") == "zip"
    assert sniff(b"\x89PNG\r\n\x1a\nxxxx", ".pdf") == "image:a PNG image"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".docx") == "ole2"
    assert sniff(b"<!DOCTYPE html><html>", ".doc") == "html"
    assert sniff("朝阳区光明社区".encode(), ".html") == "text"
    assert sniff(b"MIME-Version: 1.0\r\nContent-Type: multipart/related;", ".txt") == "mhtml"


def _encrypted(tmp_path, user: str):
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user, owner_password="owner", algorithm="RC4-128")
    path = tmp_path / f"locked_{bool(user)}.pdf"
    writer.write(path)
    return path


def test_pdf_pages_without_text_are_left_out_and_said(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.add_blank_page(595, 842)  # a scanned page among text pages
    path = tmp_path / "mixed.pdf"
    writer.write(path)
    article = clean_article_file(path)
    assert "老年食堂" in article.text
    assert article.notes == ["1 of 2 pages have no text (scanned?) and were left out"]
    res = subprocess.run([sys.executable, "main.py", "ingest", str(path), "--format", "json"],
                         cwd=REPO, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "翠光社区" in res.stdout
    assert res.stderr == "mixed.pdf: 1 of 2 pages have no text (scanned?) and were left out\n"


def test_pdf_that_only_forbids_editing_is_read(tmp_path):
    assert "老年食堂" in read_article(_encrypted(tmp_path, "")).text


def _hostile(tmp_path):
    """Broken and hostile files, each with words its one-line error must hold."""
    pdf = PDF.read_bytes()
    files = {
        "truncated.pdf": (pdf[: len(pdf) // 2], "damaged PDF"),
        "header_only.pdf": (pdf[:600], "PDF"),
        "image.pdf": (b"\x89PNG\r\n\x1a\n" + os.urandom(3000), "PNG image"),
        "garbage.txt": (os.urandom(5000), "binary"),
        "legacy.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "save it as .docx"),
        "not_a_zip.docx": (b"PK\x03\x04" + os.urandom(2000), "not a readable zip"),
        "noise.docx": (os.urandom(3000), "not a real .docx"),
        "empty.html": (b"", "empty"),
        "only_markup.html": (b"<html><body><script>x()</script></body></html>", "no text"),
    }
    out = []
    for name, (data, words) in files.items():
        (tmp_path / name).write_bytes(data)
        out.append((tmp_path / name, words))
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * 300_000_000)
    out.append((bomb, "zip bomb"))
    sheet = tmp_path / "sheet.docx"
    with zipfile.ZipFile(sheet, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    out.append((sheet, "Excel workbook"))
    document = docx.Document()
    document.add_paragraph("翠光社区")
    document.save(tmp_path / "ok.docx")
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                        for i in range(8))
              + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
              '2006/main"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>')
    for name, xml in (("broken_xml.docx", "<w:document><unclosed"),
                      ("billion_laughs.docx", laughs)):
        with zipfile.ZipFile(tmp_path / "ok.docx") as zin, \
                zipfile.ZipFile(tmp_path / name, "w") as zout:
            for info in zin.infolist():
                zout.writestr(info, xml if info.filename == "word/document.xml"
                              else zin.read(info.filename))
        out.append((tmp_path / name, "damaged Word document"))
    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:
        fh.truncate(200_000_000)  # sparse: costs no disk
    out.append((huge, "too large"))
    scan = tmp_path / "scan.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(scan)
    out.append((scan, "no text layer (a scan?): OCR it first"))
    out.append((_encrypted(tmp_path, "secret"), "password-protected"))
    return out


def test_hostile_files_get_one_line_each(tmp_path):
    for path, words in _hostile(tmp_path):
        with pytest.raises(ArticleReadError) as info:
            clean_article_file(path)
        message = str(info.value)
        assert words in message and path.name in message, (path.name, message)
        assert "\n" not in message
        assert isinstance(info.value, TextFileError)  # callers catching it keep working


def test_ingest_command_reads_every_format_and_refuses_broken_ones(tmp_path):
    for path in (PAGE, PDF):
        res = subprocess.run([sys.executable, "main.py", "ingest", str(path)], cwd=REPO,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 0, res.stderr
        assert "翠光社区" in res.stdout and "canteen" in res.stdout
    for path, words in _hostile(tmp_path)[:4]:
        res = subprocess.run([sys.executable, "main.py", "ingest", str(path)], cwd=REPO,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 2 and "Traceback" not in res.stderr
        assert res.stderr.count("\n") == 1 and words in res.stderr


def test_page_too_big_for_the_extractor_keeps_all_text_and_says_so(tmp_path):
    page = tmp_path / "long.html"
    page.write_text("<html><body>" + "<div><p>翠光社区新建老年食堂。</p></div>" * 12_000
                    + "</body></html>", encoding="utf-8")
    article = clean_article_file(page)
    assert "翠光社区新建老年食堂" in article.text
    assert any("too many to tell its article" in n for n in article.notes)
