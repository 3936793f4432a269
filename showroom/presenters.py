"""What a buyer's page shows of a product, in the buyer's language.

``public_text`` is the one place that decides which of a record's texts a public page shows:
the text in the page's language, or, where that one is empty, another language's text
marked with its language (issue 13, section 5: Indonesian text is never shown as if it
were Chinese). It reads ``<field>_zh`` / ``_en`` / ``_id`` where the model has them and
treats a single ``<field>`` as Indonesian (the catalogue keeps materials, packaging and
storage conditions in Indonesian until they get their three-language fields).
"""

from dataclasses import dataclass

from core.localization import language_suffix

# For each page language, the order in which other languages stand in for a missing text:
# a Chinese buyer reads English sooner than Indonesian.
FALLBACKS = {"zh": ("zh", "en", "id"), "en": ("en", "id", "zh"), "id": ("id", "en", "zh")}
# BCP 47 tags for the ``lang`` attribute of a text shown in another language.
HTML_LANG = {"zh": "zh-Hans", "en": "en", "id": "id"}


@dataclass(frozen=True)
class LocalText:
    """A text and the language it is written in; ``foreign`` when that is not the page's."""

    text: str
    suffix: str
    foreign: bool

    @property
    def lang(self):
        return HTML_LANG[self.suffix]

    def __str__(self):
        return self.text

    def __bool__(self):
        return bool(self.text)


def _versions(record, field):
    """``{"id": …, "en": …, "zh": …}`` of the texts ``record`` has for ``field``: a plain
    ``field`` beside ``field_en``/``field_zh`` is the Indonesian one (``Category.name``)."""
    versions = {}
    for suffix in ("id", "en", "zh"):
        value = getattr(record, f"{field}_{suffix}", None)
        if value is not None:
            versions[suffix] = value
    if "id" not in versions:
        base = getattr(record, field, None)
        if isinstance(base, str):
            versions["id"] = base
    return versions


def public_text(record, field, language):
    """``record``'s ``field`` for a page in ``language`` (a Django language code)."""
    wanted = language_suffix(language)
    versions = _versions(record, field)
    for suffix in FALLBACKS[wanted]:
        text = (versions.get(suffix) or "").strip()
        if text:
            return LocalText(text, suffix, suffix != wanted)
    return LocalText("", wanted, False)
