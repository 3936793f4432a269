"""Which of a record's Indonesian / English / Chinese texts to show, and in what language
the shown text really is.

``pick`` chooses a text for the staff UI. ``text_in`` is for what buyers read (the public
share-link pages, the Chinese/English promotion sheet): when the wanted language is
missing it returns the fallback together with its language, so that a template can mark
it (``lang`` attribute and a "(Bahasa Indonesia)" note) instead of showing Indonesian text
as if it were Chinese. ``{% text_in obj "materials" "zh" %}`` (core.templatetags.etalase)
renders it so marked.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("id", "en", "zh")
# What a reader of each language is shown when their own is missing, in order: a Chinese
# buyer reads English sooner than Indonesian.
FALLBACKS = {"zh": ("en", "id"), "en": ("id",), "id": ("en", "zh")}
# BCP 47 tags for the HTML ``lang`` attribute (zh-Hans: simplified script, as in China).
HTML_LANG = {"id": "id", "en": "en", "zh": "zh-Hans"}
# The language's own name, as the marker next to a fallback text shows it.
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English", "zh": "中文"}
LANGUAGE_LABELS = {"id": _("Indonesian"), "en": _("English"), "zh": _("Chinese")}


def language_suffix(language=None):
    """``"id"``, ``"en"`` or ``"zh"`` for the active (or given) language."""
    language = (language or get_language() or "id").lower()
    if language.startswith("zh"):
        return "zh"
    return "en" if language.startswith("en") else "id"


def pick(indonesian, english, chinese, language=None):
    """The text in the UI language, falling back to Indonesian when it is empty."""
    chosen = {"id": indonesian, "en": english, "zh": chinese}[language_suffix(language)]
    return chosen or indonesian


@dataclass(frozen=True)
class LocalizedText:
    """A text to show a reader of ``wanted``, written in ``language`` ("" when no
    language has it)."""

    text: str
    language: str
    wanted: str

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)

    @property
    def is_fallback(self):
        """The text is there, but not in the wanted language: mark it."""
        return bool(self.text) and self.language != self.wanted

    @property
    def html_lang(self):
        return HTML_LANG.get(self.language, "")

    @property
    def language_name(self):
        return LANGUAGE_NAMES.get(self.language, "")


def _field(obj, stem, suffix):
    # Category.name and Tag.name hold the Indonesian text without a suffix.
    value = getattr(obj, f"{stem}_{suffix}", None)
    if value is None and suffix == "id":
        value = getattr(obj, stem, None)
    return (value or "").strip()


def text_in(obj, stem, language=None):
    """``obj``'s text ``stem`` (``materials``: fields ``materials_id/_en/_zh``) for a reader
    of ``language`` (default: the active one) as a ``LocalizedText``: in that language if
    written, else the first of ``FALLBACKS`` that is."""
    wanted = language_suffix(language)
    for suffix in (wanted, *FALLBACKS[wanted]):
        value = _field(obj, stem, suffix)
        if value:
            return LocalizedText(value, suffix, wanted)
    return LocalizedText("", "", wanted)
