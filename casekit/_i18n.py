"""The language of what a student sees from casekit: ``set_language`` and ``get_language``.

English is the default.  ``set_language("zh")`` switches the widgets' titles,
control labels, drop-down labels, table captions and headers, and plot titles,
axis labels, legends and annotations to Simplified Chinese, makes matplotlib
draw with a CJK font, and makes :func:`casekit.load_case` open the ``zh_CN``
data (the same numbers, with Chinese names, companies and addresses; amounts
called yuan) unless a locale is passed.  The command line's help follows
``casekit --lang zh`` or the environment (see :mod:`casekit.cli`).  The Chinese
strings live in the gettext catalog ``casekit/locale/zh/LC_MESSAGES/casekit.po``,
read with polib on first use (no compiled ``.mo`` is needed); every literal
passed to ``_t`` must have an entry there.

Error messages stay in English in every language, so that they can be searched
for and quoted in a bug report; so do the names of result columns, rows and
drop-down values, which code uses.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

#: The languages casekit speaks.
LANGUAGES = ("en", "zh")
#: The data locale each language loads by default (English: the manifest's).
DATA_LOCALE = {"zh": "zh_CN"}
#: CJK fonts tried in order; Noto Sans CJK SC is what the set-up installs.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "PingFang SC",
             "Microsoft YaHei", "SimHei", "WenQuanYi Zen Hei")

_CATALOG_DIR = Path(__file__).resolve().parent / "locale"
_state = {"language": "en", "fonts": None}


@lru_cache(maxsize=len(LANGUAGES))
def _catalog(language: str) -> dict[str, str]:
    import polib

    path = _CATALOG_DIR / language / "LC_MESSAGES" / "casekit.po"
    return {(entry.msgid): entry.msgstr for entry in polib.pofile(str(path))
            if entry.translated() and not entry.obsolete}


def _t(text: str) -> str:
    """``text`` in the current language; the English text when there is no translation."""
    language = _state["language"]
    if language == "en":
        return text
    return _catalog(language).get(text, text)


def _choices(options, labels) -> list:
    """A drop-down's options with their labels in the current language.

    English keeps the plain list; another language gives ``(label, value)`` pairs, so the
    value the code sees stays the English one.

    Examples
    --------
    >>> _choices(["a", "b"], {"a": "甲"})
    ['a', 'b']
    """
    if _state["language"] == "en":
        return list(options)
    return [(labels.get(option, option), option) for option in options]


@contextmanager
def _text_language(language: str):
    """Text (not fonts, not data) in ``language`` for the duration; for the command line."""
    before = _state["language"]
    _state["language"] = language
    try:
        yield
    finally:
        _state["language"] = before


#: File names of the CJK fonts above, for fonts installed after matplotlib built its cache.
_CJK_FILES = ("NotoSansCJK", "NotoSerifCJK", "SourceHanSans", "PingFang", "msyh", "simhei", "wqy")


def _find(names) -> str | None:
    from matplotlib import font_manager

    for name in names:
        try:
            font_manager.findfont(font_manager.FontProperties(family=name),
                                  fallback_to_default=False)
        except ValueError:
            continue
        return name
    return None


def cjk_font() -> str | None:
    """The first of :data:`CJK_FONTS` that matplotlib can find, or None.

    matplotlib caches the list of system fonts once; a CJK font installed
    later is added to its font manager here, so no cache has to be deleted.
    """
    from matplotlib import font_manager

    found = _find(CJK_FONTS)
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(key.lower() in Path(path).name.lower() for key in _CJK_FILES):
                font_manager.fontManager.addfont(path)
        found = _find(CJK_FONTS)
    return found


def _set_fonts(language: str) -> None:
    import matplotlib

    rc = matplotlib.rcParams
    if _state["fonts"] is None:  # what English uses, to put back
        _state["fonts"] = {key: list(rc[key]) for key in ("font.family", "font.sans-serif")}
    if language == "en":
        rc.update(_state["fonts"])
        return
    font = cjk_font()
    if font is None:
        warnings.warn(
            "set_language: no CJK font found, so Chinese text in plots shows as boxes; "
            f"install one of {list(CJK_FONTS)!r} (on Debian or Ubuntu: apt-get install "
            "fonts-noto-cjk) and restart the kernel", stacklevel=3)
        return
    rc["font.family"] = ["sans-serif"]
    english = _state["fonts"]["font.sans-serif"]
    rc["font.sans-serif"] = [font, *[f for f in english if f != font]]


def set_language(language: str) -> None:
    """Choose the language of casekit's labels, titles and default data.

    Parameters
    ----------
    language : {"en", "zh"}
        ``"zh"`` is Simplified Chinese: Chinese labels and plot text, a CJK
        font for matplotlib, and the ``zh_CN`` data in :func:`casekit.load_case`.
        Error messages stay in English.

    Examples
    --------
    >>> set_language("zh")
    >>> get_language()
    'zh'
    >>> _t("customers")
    '客户数'
    >>> set_language("en")
    >>> set_language("fr")
    Traceback (most recent call last):
    ...
    ValueError: set_language: language must be one of ['en', 'zh']; found 'fr'
    """
    if language not in LANGUAGES:
        raise ValueError(f"set_language: language must be one of {list(LANGUAGES)!r}; "
                         f"found {language!r}")
    _state["language"] = language
    _set_fonts(language)


def get_language() -> str:
    """The language set by :func:`set_language`; ``"en"`` until it is called.

    Examples
    --------
    >>> get_language()
    'en'
    """
    return _state["language"]
