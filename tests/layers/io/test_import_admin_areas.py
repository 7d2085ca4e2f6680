"""Importing communities fills their missing district, city and province, and says so."""

from layers.io.importing import read_import, to_layer_frame


def test_imported_communities_get_their_admin_areas(tmp_path):
    src = tmp_path / "社区.csv"
    src.write_text("名称,经度,纬度,区县\n"
                   "翠苑社区,120.13,30.28,\n"
                   "东华门社区,116.41,39.93,东城区\n"
                   "海上,123.0,30.0,\n", encoding="utf-8")
    raw, report = read_import(src)
    frame = to_layer_frame(raw, "communities", report)
    rows = frame.set_index("name")
    assert tuple(rows.loc["翠苑社区", ["province", "city", "district"]]) == (
        "浙江省", "杭州市", "西湖区")
    assert tuple(rows.loc["东华门社区", ["province", "city", "district"]]) == (
        "北京市", "北京市", "东城区")
    assert (rows.loc["海上", ["province", "city", "district"]].fillna("") == "").all()  # the sea
    assert ("filled district/city/province for 2 communities from the bundled boundaries"
            in report.summary().splitlines())
