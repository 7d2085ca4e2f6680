"""Translation: English source strings, Chinese (zh_CN) through Qt's translator."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
CONTEXT = "app"
_installed: QTranslator | None = None


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
    global _installed
    app = QCoreApplication.instance()
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language != "zh_CN" or app is None:
        return False
    translator = QTranslator(app)
    if translator.load(str(TRANSLATIONS_DIR / "facility_mapper_zh_CN.qm")):
        app.installTranslator(translator)
        _installed = translator
        return True
    return False
