"""Translation: English source strings, Chinese (zh_CN) through Qt's translator."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

from layers.io.atomic import atomic_write_text
from layers.resources import resource_path

TRANSLATIONS_DIR = resource_path("translations")
DESKTOP_DIR = Path(__file__).resolve().parent
#: Class attributes of map tools that the window passes through tr().
_TRANSLATED_ATTRIBUTES = {"action_text", "tool_tip"}
CONTEXT = "app"
_installed: QTranslator | None = None
_qt_installed: QTranslator | None = None


def tr(text: str) -> str:
    """Translate a UI string in the app's single translation context.

    Parameters
    ----------
    text : str
        English source text.

    Returns
    -------
    str
        The translation for the current language, or ``text``.
    """
    return QCoreApplication.translate(CONTEXT, text)


def preferred_language() -> str:
    """Return ``"zh_CN"`` or ``"en"``: the saved choice, else the system locale.

    Returns
    -------
    str
        Language code.
    """
    saved = QSettings().value("ui/language", "")
    if saved in ("zh_CN", "en"):
        return str(saved)
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def install_language(language: str) -> bool:
    """Install the translator for ``language`` (``"en"`` removes it).

    Parameters
    ----------
    language : str
        ``"zh_CN"`` or ``"en"``.

    Returns
    -------
    bool
        True when a Chinese translation was loaded.
    """
    global _installed, _qt_installed
    app = QCoreApplication.instance()
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
        _installed = None
    if _qt_installed is not None and app is not None and language != "zh_CN":
        app.removeTranslator(_qt_installed)
        _qt_installed = None
    if language != "zh_CN" or app is None:
        return False
    from PySide6.QtCore import QLibraryInfo

    if _qt_installed is None:  # Qt's own strings: Cancel, Yes, No, Undo…
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _qt_installed = qt
    translator = QTranslator(app)
    if translator.load(str(TRANSLATIONS_DIR / "facility_mapper_zh_CN.qm")):
        app.installTranslator(translator)
        _installed = translator
        return True
    return False


def read_translation_table(language: str = "zh_CN") -> dict[str, str]:
    """Read the editable translation table ``resources/translations/<language>.tsv``.

    Parameters
    ----------
    language : str
        Language code.

    Returns
    -------
    dict of str to str
        English source text to translation.
    """
    table = {}
    for line in (TRANSLATIONS_DIR / f"{language}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, _, target = line.partition("\t")
        table[source] = target
    return table


def build_translations(language: str = "zh_CN") -> Path:
    """Write the Qt ``.ts`` file from the table and compile it to ``.qm`` with lrelease.

    Parameters
    ----------
    language : str
        Language code.

    Returns
    -------
    Path
        The ``.qm`` file.
    """
    import shutil
    import subprocess
    from xml.sax.saxutils import escape

    table = read_translation_table(language)
    messages = "".join(
        f"    <message>\n        <source>{escape(s)}</source>\n"
        f"        <translation>{escape(t)}</translation>\n    </message>\n"
        for s, t in sorted(table.items())
    )
    ts = TRANSLATIONS_DIR / f"facility_mapper_{language}.ts"
    atomic_write_text(
        ts,
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        f'<TS version="2.1" language="{language}">\n<context>\n    <name>{CONTEXT}</name>\n'
        f"{messages}</context>\n</TS>\n",
    )
    qm = ts.with_suffix(".qm")
    lrelease = shutil.which("pyside6-lrelease") or str(
        Path(__import__("sys").executable).parent / "pyside6-lrelease")
    subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True)
    return qm


def translatable_strings(paths: Iterable[Path]) -> set[str]:
    """Find the UI source strings in Python files.

    Parses the files (quotes of either kind, implicit concatenation and escapes are
    read as Python reads them) and collects every string literal passed as the
    first argument of ``tr(...)``, and every string assigned to a tool's
    ``action_text`` or ``tool_tip``. Computed arguments and empty strings (a base
    class's blank tool tip) are skipped.

    Parameters
    ----------
    paths : iterable of Path
        Python source files.

    Returns
    -------
    set of str
        The English source strings.
    """
    found: set[str] = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args):
                value = node.args[0]
            elif (isinstance(node, ast.Assign) and len(node.targets) == 1
                  and isinstance(node.targets[0], ast.Name)
                  and node.targets[0].id in _TRANSLATED_ATTRIBUTES):
                value = node.value
            else:
                continue
            if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                found.add(value.value)
    return found


def missing_translations(paths: Iterable[Path] | None = None, extra: Iterable[str] = (),
                         language: str = "zh_CN") -> list[str]:
    """List the UI strings that the translation table does not translate.

    Parameters
    ----------
    paths : iterable of Path, optional
        Python files to scan; every file of the ``desktop`` package by default.
    extra : iterable of str
        Further source strings that reach ``tr()`` through a variable.
    language : str
        Language code of the table.

    Returns
    -------
    list of str
        The untranslated strings, sorted.
    """
    files = sorted(DESKTOP_DIR.rglob("*.py")) if paths is None else paths
    table = read_translation_table(language)
    return sorted((translatable_strings(files) | set(extra)) - table.keys())


if __name__ == "__main__":
    print(build_translations())
