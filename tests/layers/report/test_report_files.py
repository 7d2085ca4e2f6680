"""The 街道 report: one model, the same numbers in Excel, Word and JSON."""

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import docx
import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely

from layers.analysis.checklist import load_checklist
from layers.cli import run
from layers.geo.walking import walk_settings
from layers.model.layer import conform
from layers.model.schema import PROPOSALS
from layers.report.docx_report import NO_MAP
from layers.report.json_report import report_dict, report_json
from layers.report.model import build_report, percent, report_walk_rows
from layers.store import open_project
from tests.conftest import BUNDLED

EVIL = "=cmd|' /C calc'!A0"


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def bundled_files(tmp_path_factory):
    """The bundled project's report in all three formats, by the command."""
    folder = tmp_path_factory.mktemp("bundled")
    project = folder / "project.gpkg"
    shutil.copy(BUNDLED, project)
    files = [folder / "report.xlsx", folder / "report.docx", folder / "report.json"]
    code, out, err = _run("report", "--project", str(project), "--out", *map(str, files))
    assert code == 0, err
    return files, out


@pytest.fixture(scope="module")
def edited_files(tmp_path_factory):
    """A project with known residents, a hostile name and a proposals layer."""
    folder = tmp_path_factory.mktemp("edited")
    path = folder / "project.gpkg"
    shutil.copy(BUNDLED, path)
    project = open_project(path)
    ids = project.communities.ids
    project.communities.update_attributes(ids[0], {"name": EVIL, "population": 8000})
    project.communities.update_attributes(ids[1], {"population": 3000})
    # a control character (pasted from somewhere) that no Word or Excel file may hold
    project.communities.update_attributes(ids[2], {"name": "远洋\x0b现代城"})
    project.communities.update_attributes(ids[3], {"population": 9500, "street": "翠苑街道"})
    project.save()
    proposals = gpd.GeoDataFrame(
        {"id": ["p2", "p1"], "rank": [2, 1], "category": ["canteen", "elderly_care"],
         "gain": pd.array([None, 5000], dtype="Int64"),
         "communities": ["翠光社区、远洋现代城", "翠苑一区"], "method": ["MCLP", "MCLP"],
         "minutes": [10.0, 10.0]},
        geometry=[shapely.Point(118.87, 29.03), shapely.Point(120.11, 30.28)], crs=4326)
    proposals = conform(proposals, PROPOSALS)  # every field of the layer, as siting saves it
    pyogrio.write_dataframe(proposals, path, layer="proposals")
    files = [folder / "report.xlsx", folder / "report.docx", folder / "report.json"]
    code, out, err = _run("report", "--project", str(path), "--out", *map(str, files),
                          "--title", "翠苑街道生活圈报告")
    assert code == 0, err
    return path, files, out


def test_the_command_prints_a_line_per_file_and_the_notes(bundled_files):
    files, out = bundled_files
    lines = out.splitlines()
    for f in files:
        assert f"wrote {f} (" in out
        assert f.stat().st_size > 0
    assert len([x for x in lines if x.startswith("wrote ")]) == 3
    assert "13 of 14 communities have no population" in out  # 翠苑一区's is in its article
    assert "no map" in out
    assert "no proposals layer" in out


def test_unreadable_requests_are_one_line(tmp_path):
    code, _, err = _run("report", "--out", str(tmp_path / "r.pdf"))
    assert code == 2 and err.count("\n") == 1 and ".xlsx, .docx or .json" in err
    code, _, err = _run("report", "--out", str(tmp_path / "r.json"), "--network")
    assert code == 2 and "no roads layer" in err
    assert not (tmp_path / "r.json").exists()


def test_the_json_is_the_model():
    project = open_project(BUNDLED)
    report = build_report(project, load_checklist(), walk_settings(), 10)
    data = json.loads(report_json(report))
    assert data == report_dict(report)
    assert data["communities_total"] == len(report.communities) == 14
    assert [r["residents_covered"] for r in data["summary"]] == [r.residents_covered
                                                                  for r in report.summary]
    assert len(data["summary"]) == len(report.categories) * 3  # 5, 10 and 15 minutes
    # unknown residents are null, never 0; only 翠苑一区's article states its residents
    known = {r["name"]: r["population"] for r in data["communities"]
             if r["population"] is not None}
    assert known == {"翠苑一区": 10000}
    assert all(r["share"] in (0.0, 1.0) for r in data["summary"])  # of its 10,000
    assert data["unknown_population"] == 13


def test_the_xlsx_sheets_values_chart_and_safety(edited_files):
    _, (xlsx, _, json_file), _ = edited_files
    data = json.loads(json_file.read_text("utf-8"))
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["汇总", "按街道", "社区", "选址建议", "来源", "说明"]
    summary = book["汇总"]
    assert summary.freeze_panes == "A2" and book["社区"].freeze_panes == "B2"
    assert len(summary._charts) == 1  # a native Excel chart
    header = [c.value for c in summary[1]]
    rows = list(summary.iter_rows(min_row=2, max_row=1 + len(data["summary"]), values_only=True))
    for row, want in zip(rows, data["summary"], strict=True):
        got = dict(zip(header, row, strict=False))
        assert got["设施类别"] == want["label"]
        assert got["步行时间（分钟）"] == want["minutes"]
        assert got["覆盖人口"] == want["residents_covered"]
        assert got["已知人口"] == want["residents"]
        assert got["人口覆盖率"] == pytest.approx(want["share"])
        assert got["人口未知社区数"] == want["unknown_communities"] == 11
    share_cell = summary.cell(row=2, column=header.index("人口覆盖率") + 1)
    assert "%" in share_cell.number_format
    # the hostile name stays text; no cell anywhere is a formula
    communities = book["社区"]
    names = [c.value for c in communities["A"][1:]]
    cell = communities["A"][1 + [n.lstrip("'") for n in names].index(EVIL)]
    assert cell.data_type == "s" and cell.value.lstrip("'") == EVIL
    for ws in book:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate)
                assert not (isinstance(c.value, str) and c.value.startswith("="))
    # unknown population is written as 未知, never 0
    pop = dict(zip(names, [c.value for c in communities["C"][1:]], strict=True))
    assert pop["世纪花园翠光四区"] == 3000 and pop["远洋现代城"] == "未知"
    # per community: met/missing and distance match the JSON
    first = data["communities"][2]
    row = [c.value for c in communities[4]]
    assert row[0] == first["name"]
    assert row[4] == ("达标" if first["cells"][0]["met"] else "缺")
    assert row[5] == first["cells"][0]["nearest_m"]
    proposals = [[c.value for c in r] for r in book["选址建议"].iter_rows(min_row=2)]
    assert proposals[0][:3] == [1, "居家养老服务站", 5000]
    assert proposals[1][2] is None  # gain not given: empty, not 0
    sources = [r[3].value for r in book["来源"].iter_rows(min_row=2)]
    assert any("3146户" in q for q in sources)
    assert book["说明"]["A1"].value == "翠苑街道生活圈报告"


def test_the_docx_sentences_carry_the_json_numbers(edited_files):
    _, (_, docx_file, json_file), _ = edited_files
    data = json.loads(json_file.read_text("utf-8"))
    document = docx.Document(docx_file)
    text = [p.text for p in document.paragraphs]
    assert text[0] == "翠苑街道生活圈报告"
    assert any(t == f"日期：{data['date']}" for t in text)
    sentences = [t for t in text if re.match(r"\d+ 个社区中有", t)]
    assert sentences == data["summary_sentences"]
    at10 = [r for r in data["summary"] if r["minutes"] == 10]
    for sentence, row in zip(sentences, at10, strict=True):
        m = re.match(r"(\d+) 个社区中有 (\d+) 个在 10 分钟步行范围内有(.+)，覆盖 (\d+)% 的已知人口"
                     r"（([\d,]+) 人中的 ([\d,]+) 人；(\d+) 个社区人口未知）。", sentence)
        assert m, sentence
        assert int(m[1]) == row["communities"] and int(m[2]) == row["communities_covered"]
        assert m[3] == row["label"]
        assert int(m[4]) == round(row["share"] * 100)
        assert int(m[5].replace(",", "")) == row["residents"] == 20500
        assert int(m[6].replace(",", "")) == row["residents_covered"]
        assert int(m[7]) == row["unknown_communities"]
    # a map was not given: one line says so; the chart is the one picture
    assert NO_MAP in text
    assert len(document.inline_shapes) == 1
    tables = document.tables
    street_rows = [[c.text for c in r.cells] for r in tables[1].rows]
    at10 = {(r["group"], r["category"]): r for r in data["streets"] if r["minutes"] == 10}
    cuiyuan = next(r for r in street_rows if r[0] == "翠苑街道")
    canteen = at10[("翠苑街道", "canteen")]
    assert canteen["residents"] == 9500
    share = percent(canteen["share"])
    assert cuiyuan[3 + 3] == (f"{canteen['communities_covered']}/{canteen['communities']} 个社区"
                              f"；{canteen['residents_covered']:,} 人（{share}）")
    community_table = tables[2]
    assert [c.text for c in community_table.rows[0].cells][:3] == ["社区", "街道", "人口"]
    assert len(community_table.rows) == 1 + len(data["communities"])
    names = [c.text for c in community_table.columns[0].cells][1:]
    assert names == [r["name"] for r in data["communities"]]
    assert EVIL in names and "远洋现代城" in names
    proposal_rows = [[c.text for c in r.cells] for r in tables[3].rows]
    assert proposal_rows[1][:3] == ["1", "居家养老服务站", "5,000"]
    assert proposal_rows[2][2] == "未知"
    missing = [t for t in text if "：缺" in t]
    assert len(missing) == len(data["missing"])


def test_the_docx_takes_the_map_figure(tmp_path, bundled_files):
    from layers.report.charts import chart_png

    project = open_project(BUNDLED)
    report = build_report(project, load_checklist(), walk_settings(), 10)
    png = tmp_path / "map.png"
    png.write_bytes(chart_png(report.chart))  # any PNG stands in for the print layout
    out = tmp_path / "with_map.docx"
    code, stdout, err = _run("report", "--out", str(out), "--map", str(png))
    assert code == 0, err
    document = docx.Document(out)
    assert len(document.inline_shapes) == 2
    assert NO_MAP not in [p.text for p in document.paragraphs]
    assert "no map" not in stdout
    bad = tmp_path / "not.png"
    bad.write_text("hello")
    code, _, err = _run("report", "--out", str(out), "--map", str(bad))
    assert code == 2 and "not a PNG" in err


def test_a_walk_outside_the_tiers_still_has_its_sentence():
    project = open_project(BUNDLED)
    report = build_report(project, load_checklist(), walk_settings(), 12)
    rows = report_walk_rows(report)
    assert [r.minutes for r in rows] == [12.0] * len(report.categories)
    assert [r.communities_covered for r in rows] == [
        sum(c.cells[i].met for c in report.communities) for i in range(len(rows))]
    assert all("12 分钟" in s for s in report.summary_sentences)
    assert percent(None) == "—"


def test_a_community_without_position_is_left_out_and_counted(no_position_copy: Path,
                                                              tmp_path):
    out = tmp_path / "r.json"
    code, stdout, _ = _run("report", "--project", str(no_position_copy), "--out", str(out))
    assert code == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["not_placed"] == 1 and data["communities_total"] == 15
    assert len(data["communities"]) == 14
    assert "1 community has no position: not in the report" in stdout
    assert any("1 个社区没有位置" in n for n in data["notes"])
