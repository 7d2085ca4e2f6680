"""Make the article fixtures in this folder: a saved GBK web page and a real PDF.

Run once from the repository root (the PDF needs Qt and a CJK font):

    QT_QPA_PLATFORM=offscreen python -m tests.articles.make_article_files

The outputs are committed, so the tests do not need Qt to read them.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent

#: The article both files carry: a headline and three paragraphs with a community,
#: its street and district, facilities and numbers for the extraction to find.
HEADLINE = "翠光社区老年食堂开张 居民家门口吃上热乎饭"
PARAGRAPHS = [
    "本报讯 近日，衢州市龙游县龙洲街道翠光社区的老年食堂正式开张，食堂面积约300平方米，"
    "可同时容纳80人就餐，每天为辖区60岁以上老人提供午餐和晚餐。",
    "翠光社区党委书记王红祥介绍，食堂由原社区服务综合体一楼改造而来，社区还在世纪花园新建了"
    "电动自行车充电棚，设有40个充电口，解决了居民“充电难”的问题。",
    "据了解，翠光社区共有居民2100户，其中60岁以上老人占比超过25%。下一步，社区将继续完善"
    "“一老一小”服务设施，让居民在家门口享受更多便利。",
]

PAGE = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{headline}_龙游新闻网</title>
<script>var _hmt = _hmt || []; document.write('广告位招租');</script>
<style>.nav {{ color: red; }}</style>
</head>
<body>
<div id="topbar"><a href="/">首页</a> | <a href="/news/">新闻中心</a> | <a href="/login">登录</a>
| <a href="/reg">注册</a></div>
<nav class="menu"><ul><li><a href="/">首页</a></li><li><a href="/sz">时政</a></li>
<li><a href="/sh">社会</a></li><li><a href="/ms">民生</a></li>
<li><a href="/ty">体育</a></li></ul></nav>
<div class="ad banner"><a href="http://ad.example.com/"><img src="ad.gif">
装修贷款低至3厘 立即申请</a></div>
<div class="main">
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/ms/">民生</a> &gt; 正文</div>
<article>
<h1>{headline}</h1>
<div class="info">2024-09-02 08:30 来源：龙游日报 编辑：张三</div>
<div class="content">
{paragraphs}
</div>
</article>
<aside class="sidebar"><h3>热门推荐</h3><ul>
<li><a href="/a1">灵山江夜景灯光秀本周末上演</a></li><li><a href="/a2">暑期游泳安全提示</a></li>
<li><a href="/a3">城区部分路段临时交通管制</a></li><li><a href="/a4">本地房价最新走势</a></li>
</ul></aside>
</div>
<div class="ad"><a href="http://ad.example.com/2">点击领取话费红包</a></div>
<footer><p>版权所有 龙游新闻网 浙ICP备00000000号</p><p>联系我们 | 关于我们 | 网站地图</p></footer>
</body>
</html>
"""


def write_page(path: Path) -> None:
    """Write the saved web page in GBK, as Chinese news sites still serve them."""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    path.write_bytes(PAGE.format(headline=HEADLINE, paragraphs=paragraphs).encode("gbk"))


def write_pdf(path: Path) -> None:
    """Write the article as a PDF with a text layer, through Qt's QPdfWriter."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841 - fonts need an app
    writer = QPdfWriter(str(path))
    writer.setTitle(HEADLINE)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A5),
                                     QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15),
                                     QPageLayout.Unit.Millimeter))
    writer.setResolution(300)
    doc = QTextDocument()
    doc.setDefaultFont(QFont("Noto Sans CJK SC", 11))
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    doc.setHtml(f"<h2>{HEADLINE}</h2>{body}")
    rect = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(writer)


if __name__ == "__main__":
    write_page(HERE / "saved_page_gbk.html")
    write_pdf(HERE / "article_qt.pdf")
    print("wrote", HERE / "saved_page_gbk.html", HERE / "article_qt.pdf")
