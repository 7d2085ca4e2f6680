"""The translation table covers every UI string, however it is quoted."""

from __future__ import annotations

from desktop.i18n import missing_translations


def test_every_ui_string_has_a_chinese_translation():
    from desktop.docks.layer_panel import LAYER_TITLES
    from desktop.main_window import APP_TITLE

    missing = missing_translations(extra=[*LAYER_TITLES.values(), APP_TITLE])
    assert not missing, missing


def test_the_check_reads_every_subpackage(monkeypatch):
    import desktop.i18n

    monkeypatch.setattr(desktop.i18n, "read_translation_table", lambda language: {})
    missing = missing_translations()
    assert "Approximate position" in missing  # tr('…') in an f-string in desktop/docks
    assert "Add Facility" in missing  # a map tool's action_text in desktop/tools


def test_single_and_double_quoted_strings_are_both_checked(tmp_path):
    source = tmp_path / "widget.py"
    source.write_text(
        "from desktop.i18n import tr\n"
        "a = tr('Untranslated single-quoted')\n"
        'b = tr("Untranslated double-quoted")\n'
        "c = f\"{tr('Untranslated in an f-string')}: 3\"\n"
        "d = tr('Layers')\n"
        "e = tr(name)\n"
        "class Tool:\n"
        "    action_text = 'Untranslated tool'\n"
        "    tool_tip = ''\n",
        encoding="utf-8",
    )
    assert missing_translations([source]) == [
        "Untranslated double-quoted", "Untranslated in an f-string",
        "Untranslated single-quoted", "Untranslated tool"]
