"""``core.localization.text_in`` and the ``text_in`` / ``marked`` template helpers: a
missing translation is shown in its own language, marked, never passed off as another."""

from types import SimpleNamespace

from django.template import engines
from django.utils import translation

from core.localization import text_in


def record(**texts):
    base = {f"materials_{s}": "" for s in ("id", "en", "zh")}
    return SimpleNamespace(**(base | texts))


def test_the_wanted_language_when_written():
    shown = text_in(record(materials_id="Drum", materials_zh="钢桶"), "materials", "zh")
    assert (shown.text, shown.language, shown.is_fallback) == ("钢桶", "zh", False)


def test_chinese_falls_back_to_english_before_indonesian():
    shown = text_in(record(materials_id="Drum baja", materials_en="Steel drum"), "materials", "zh")
    assert (shown.text, shown.language, shown.is_fallback) == ("Steel drum", "en", True)
    assert shown.html_lang == "en"


def test_indonesian_fallback_says_so():
    shown = text_in(record(materials_id="Drum baja"), "materials", "zh-hans")
    assert (shown.language, shown.wanted, shown.language_name) == ("id", "zh", "Bahasa Indonesia")


def test_nothing_written_is_empty_not_a_fallback():
    shown = text_in(record(), "materials", "en")
    assert not shown and not shown.is_fallback and str(shown) == ""


def test_names_without_suffix_count_as_indonesian():
    tag = SimpleNamespace(name="Daur ulang", name_en="", name_zh="")
    assert text_in(tag, "name", "zh").language == "id"


def test_the_active_language_is_the_default():
    with translation.override("zh-hans"):
        assert text_in(record(materials_zh="钢桶"), "materials").text == "钢桶"


def test_the_template_tag_marks_a_fallback_with_its_language():
    template = engines["django"].from_string(
        '{% load etalase %}{% text_in obj "materials" "zh" %}|{% text_in obj "materials" "id" %}'
    )
    html = template.render({"obj": record(materials_id="Drum <baja>")})
    marked, plain = html.split("|")
    assert marked == (
        '<span lang="id" class="fallback-text">Drum &lt;baja&gt;</span> '
        '<span class="fallback-language">(Bahasa Indonesia)</span>'
    )
    assert plain == "Drum &lt;baja&gt;"
