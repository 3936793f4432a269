"""Which of a record's Indonesian / English / Chinese texts to show in the UI language."""

from django.utils.translation import get_language


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
