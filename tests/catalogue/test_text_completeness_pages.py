"""Text completeness on the product list (column, "texts incomplete" filters, sort) and
on the product page (which texts each language lacks)."""

import re

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def products(make_product):
    return {
        "full": make_product(name_id="Kursi", name_en="Chair", name_zh="椅子"),
        "half": make_product(
            name_id="Meja",
            name_en="Table",
            name_zh="桌子",
            materials_id="Jati",
            materials_en="Teak",
        ),
        "none": make_product(name_id="Lemari", materials_id="Jati"),
    }


def codes(client, query):
    content = client.get(f"/products/?{query}", **EN).content.decode()
    return re.findall(r'<a class="code" href="/products/([^/]+)/">', content)


def test_chinese_incomplete_filter(client, staff_user, products):
    client.force_login(staff_user)
    assert codes(client, "zh_incomplete=1") == [products["half"].code, products["none"].code]
    assert codes(client, "zh_incomplete=0") == [products["full"].code]


def test_english_incomplete_filter(client, staff_user, products):
    client.force_login(staff_user)
    assert codes(client, "en_incomplete=1") == [products["none"].code]


def test_sort_by_chinese_completeness_both_ways(client, staff_user, products):
    client.force_login(staff_user)
    order = [products[k].code for k in ("none", "half", "full")]
    assert codes(client, "sort=completeness_zh") == order
    assert codes(client, "sort=-completeness_zh") == order[::-1]


def test_the_filter_is_labelled_and_shown_as_a_chip(client, staff_user, products):
    client.force_login(staff_user)
    content = client.get("/products/?zh_incomplete=1", **EN).content.decode()
    assert "Chinese texts incomplete" in content
    assert "Chinese texts incomplete: Yes" in content


def test_the_list_has_a_texts_column(client, staff_user, products):
    client.force_login(staff_user)
    content = client.get("/products/", **EN).content.decode()
    assert 'class="hide-sm col-texts"' in content
    assert "?sort=completeness_zh" in content
    half = content.split(f'href="/products/{products["half"].code}/"')[2].split("</tr>")[0]
    assert re.search(r'data-language="en" title="English texts">EN 100 %', half)
    assert re.search(r'data-language="zh" title="Chinese texts">中文 50 %', half)


def test_the_product_page_lists_missing_texts_per_language(client, staff_user, make_product):
    product = make_product(
        category="kopi-teh",
        name_id="Kopi",
        name_en="Coffee",
        materials_id="Biji kopi",
        storage_conditions_id="Kering",
        storage_conditions_zh="干燥",
    )
    client.force_login(staff_user)
    content = client.get(f"/products/{product.code}/", **EN).content.decode()
    section = content.split('data-testid="text-completeness"')[1].split("</section>")[0]
    english = section.split('data-language="en"')[1].split('data-language="zh"')[0]
    chinese = section.split('data-language="zh"')[1]
    assert "33 %" in english and "33 %" in chinese
    assert re.findall(r'data-missing="en">([^<]+)<', english) == ["Materials", "Storage conditions"]
    assert re.findall(r'data-missing="zh">([^<]+)<', chinese) == ["Name", "Materials"]


def test_the_product_page_shows_texts_in_the_ui_language(client, staff_user, make_product):
    product = make_product(name_id="Kursi", materials_id="Drum baja", materials_en="Steel drum")
    client.force_login(staff_user)
    content = client.get(f"/products/{product.code}/", **EN).content.decode()
    assert "<dd>Steel drum</dd>" in content
