"""The Chinese/English promotion sheet never shows Indonesian text as if it were Chinese:
a missing translation is printed in its own language and marked (core.localization)."""

import re

import pytest

from catalogue.printables.sheets import sheet_queryset, sheet_text

pytestmark = pytest.mark.django_db


def _cell(content, testid):
    match = re.search(rf'data-testid="{testid}">(.*?)</td>', content, re.S)
    assert match, testid
    return match[1]


@pytest.fixture
def coffee(make_product):
    return make_product(
        category="kopi-teh",
        name_id="Kopi robusta",
        name_en="Robusta coffee",
        name_zh="罗布斯塔咖啡",
        materials_id="Biji kopi robusta",
        materials_en="Robusta beans",
        materials_zh="罗布斯塔咖啡豆",
        packaging_description_id="Karung goni 60 kg",
        packaging_description_en="60 kg jute sacks",
        storage_conditions_id="Gudang kering",
        description_id="Kopi petik merah dari lereng Raung.",
    )


def test_written_translations_are_printed_in_both_languages(client, visitor_user, coffee):
    client.force_login(visitor_user)
    content = client.get(f"/products/{coffee.code}/sheet/").content.decode()
    materials = _cell(content, "sheet-materials")
    assert '<span lang="zh-Hans">罗布斯塔咖啡豆</span>' in materials
    assert "Robusta beans" in materials and "Biji kopi" not in materials


def test_missing_chinese_shows_the_english_marked_as_english(client, visitor_user, coffee):
    client.force_login(visitor_user)
    content = client.get(f"/products/{coffee.code}/sheet/").content.decode()
    packaging = _cell(content, "sheet-packaging")
    assert '<span lang="en" class="fallback-text">60 kg jute sacks</span>' in packaging
    assert "(English)" in packaging
    assert 'lang="zh-Hans">60 kg' not in packaging and "Karung" not in packaging


def test_indonesian_only_text_is_marked_as_indonesian(client, visitor_user, coffee):
    client.force_login(visitor_user)
    content = client.get(f"/products/{coffee.code}/sheet/").content.decode()
    storage = _cell(content, "sheet-storage")
    assert storage == (
        '<span lang="id" class="fallback-text">Gudang kering</span> '
        '<span class="fallback-language">(Bahasa Indonesia)</span>\n'
    )
    description = re.search(r'data-testid="sheet-description">(.*?)</section>', content, re.S)[1]
    assert '<p lang="zh-Hans">' not in description
    assert '<span lang="id" class="fallback-text">Kopi petik merah' in description


def test_sheet_text_prints_a_text_once_when_both_readers_get_the_same(coffee):
    product = sheet_queryset().get(pk=coffee.pk)
    storage = sheet_text(product, "storage_conditions")
    assert storage.zh.language == "id" and storage.en is None
    materials = sheet_text(product, "materials")
    assert (materials.zh.language, materials.en.language) == ("zh", "en")
