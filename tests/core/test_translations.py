"""Translation catalogues: complete, compiled, and actually used when pages are rendered.

Source strings are English; Indonesian (the default), English and Simplified Chinese each
have a catalogue under locale/. The compiled .mo files are committed, so running the app
needs no gettext tools: these tests check that each .mo matches its .po exactly.
"""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LOCALES = ["id", "en", "zh_Hans"]
PLURAL_FORMS = {
    "id": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
    "zh_Hans": "nplurals=1; plural=0;",
}


def _po(locale):
    return polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))


def _mo(locale):
    return polib.mofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo"))


def _label(entry):
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def _catalogue(entries):
    """(msgctxt, msgid, msgid_plural) -> translation(s), as gettext would look them up."""
    table = {}
    for entry in entries:
        key = (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")
        if entry.msgid_plural:
            plurals = {int(k): v for k, v in entry.msgstr_plural.items()}
            table[key] = tuple(plurals[i] for i in sorted(plurals))
        else:
            table[key] = entry.msgstr
    return table


def _identity(entry):
    """The English translation of an entry: the source string itself."""
    return polib.POEntry(
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        msgid_plural=entry.msgid_plural,
        msgstr="" if entry.msgid_plural else entry.msgid,
        msgstr_plural={0: entry.msgid, 1: entry.msgid_plural} if entry.msgid_plural else {},
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale):
    po = _po(locale)
    live = [e for e in po if not e.obsolete]
    assert len(live) > 100, f"{locale}: suspiciously few messages ({len(live)})"

    untranslated = [_label(e) for e in live if not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [_label(e) for e in live if "fuzzy" in e.flags]
    assert not (untranslated or fuzzy), (
        f"{locale}: untranslated msgids: {untranslated}; fuzzy msgids: {fuzzy}"
    )

    if locale == "en":
        wrong = [_label(e) for e in live if _catalogue([e]) != _catalogue([_identity(e)])]
        assert not wrong, f"en: msgstr differs from msgid for: {wrong}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_header(locale):
    po = _po(locale)
    assert po.metadata.get("Language") == locale
    assert po.metadata.get("Plural-Forms") == PLURAL_FORMS[locale]
    assert not po.metadata_is_fuzzy, f"{locale}: the header is marked fuzzy"
    nplurals = 2 if locale == "en" else 1
    wrong = [_label(e) for e in po if e.msgid_plural and len(e.msgstr_plural) != nplurals]
    assert not wrong, f"{locale}: plural entries need {nplurals} form(s): {wrong}"


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_is_current(locale):
    po = _po(locale)
    mo = _mo(locale)
    expected = _catalogue(po.translated_entries())
    compiled = _catalogue(mo)

    missing = sorted(k[1] for k in expected.keys() - compiled.keys())
    extra = sorted(k[1] for k in compiled.keys() - expected.keys())
    stale = sorted(k[1] for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    hint = f"; recompile locale/{locale}/LC_MESSAGES/django.mo"
    assert not missing, f"{locale}: missing from the .mo: {missing}{hint}"
    assert not extra, f"{locale}: in the .mo but not translated in the .po: {extra}{hint}"
    assert not stale, f"{locale}: .mo translation differs from the .po: {stale}{hint}"
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


PRODUCTS = {"zh-hans": "产品", "id": "Produk", "en": "Products"}


@pytest.mark.parametrize(("accept_language", "word"), PRODUCTS.items(), ids=PRODUCTS.keys())
def test_pages_render_in_the_requested_language(client, visitor_user, accept_language, word):
    client.force_login(visitor_user)
    response = client.get("/products/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{accept_language}">' in html
    assert f"{word}</a>" in html
    if accept_language != "en":
        assert "Products</a>" not in html


def test_default_language_is_indonesian(client, visitor_user):
    assert settings.LANGUAGE_CODE == "id"
    client.force_login(visitor_user)
    response = client.get("/products/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Produk</a>" in html
    assert "Keluar" in html  # "Log out"
    assert "Products</a>" not in html
