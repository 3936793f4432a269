"""The translation view: Indonesian on the left, the English or Chinese field on the right,
many products at once, saved row by row through ``save_product`` under the optimistic
lock; regency staff see only their regencies' products; visitors are refused."""

import pytest
from django.utils import translation

from catalogue.models import Product
from catalogue.translate_views import PER_PAGE

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def chair(make_product, make_producer):
    return make_product(
        producer=make_producer("35.09"),
        name_id="Kursi drum",
        materials_id="Drum baja bekas",
        packaging_description_id="Karton lima lapis",
    )


def row_data(product, lang="zh", **texts):
    data = {"product": product.code, f"p{product.pk}-version": product.version}
    data |= {f"p{product.pk}-{stem}_{lang}": "" for stem in ("name", "description", "materials")}
    data |= {f"p{product.pk}-packaging_description_{lang}": ""}
    data |= {f"p{product.pk}-{name}": value for name, value in texts.items()}
    return data


def test_rows_show_the_indonesian_text_next_to_the_chinese_field(client, staff_user, chair):
    client.force_login(staff_user)
    response = client.get("/products/translate/?lang=zh&regency=35.09", **EN)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="translate-row"' in content
    assert '<td lang="id" class="translate-source">Drum baja bekas</td>' in content
    assert f'name="p{chair.pk}-materials_zh"' in content
    assert 'lang="zh-Hans"' in content
    assert "storage_conditions_zh" not in content  # not a food product


def test_food_products_get_a_storage_row(client, staff_user, make_product):
    coffee = make_product(category="kopi-teh", name_id="Kopi", storage_conditions_id="Kering")
    client.force_login(staff_user)
    content = client.get("/products/translate/?lang=en", **EN).content.decode()
    assert f'name="p{coffee.pk}-storage_conditions_en"' in content


def test_the_list_filters_choose_the_rows(client, staff_user, chair, make_product, make_producer):
    other = make_product(producer=make_producer("35.10"), name_id="Batik")
    client.force_login(staff_user)
    content = client.get("/products/translate/?lang=zh&regency=35.09", **EN).content.decode()
    assert f'data-product="{chair.code}"' in content
    assert f'data-product="{other.code}"' not in content


def test_saving_a_row_writes_through_the_write_path(client, staff_user, chair):
    client.force_login(staff_user)
    url = "/products/translate/?lang=zh&regency=35.09"
    response = client.post(url, row_data(chair, materials_zh=" 回收钢桶 ", name_zh="油桶椅"), **EN)
    assert response.status_code == 302
    assert response.url == f"{url}#p-{chair.code}"
    chair.refresh_from_db()
    assert (chair.materials_zh, chair.name_zh) == ("回收钢桶", "油桶椅")
    assert chair.version == 2 and chair.updated_by == staff_user
    assert chair.completeness_zh == 66  # name and materials of name, materials, packaging
    assert chair.history.first().history_user == staff_user


def test_english_rows_write_the_english_fields(client, staff_user, chair):
    client.force_login(staff_user)
    client.post("/products/translate/?lang=en", row_data(chair, "en", materials_en="Drums"))
    chair.refresh_from_db()
    assert chair.materials_en == "Drums" and chair.materials_zh == ""


def test_the_second_translator_is_told_and_keeps_their_text(client, staff_user, admin_user, chair):
    opened = row_data(chair, materials_zh="钢桶（我的）")
    # Someone else saves the same product after the form was opened.
    other = client.__class__()
    other.force_login(admin_user)
    assert (
        other.post("/products/translate/", row_data(chair, materials_zh="回收钢桶")).status_code
        == 302
    )
    client.force_login(staff_user)
    response = client.post("/products/translate/?lang=zh", opened, **EN)
    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else saved" in content and 'data-testid="translate-error"' in content
    assert "钢桶（我的）" in content  # their text is still in the form
    assert 'data-testid="theirs"' in content and "回收钢桶" in content
    chair.refresh_from_db()
    assert chair.materials_zh == "回收钢桶"
    # The form now carries the stored version: saving again replaces the text knowingly.
    assert f'name="p{chair.pk}-version" value="{chair.version}"' in content
    again = client.post(
        "/products/translate/?lang=zh", {**opened, f"p{chair.pk}-version": chair.version}
    )
    assert again.status_code == 302
    chair.refresh_from_db()
    assert chair.materials_zh == "钢桶（我的）"


def test_a_too_long_text_is_refused_and_kept(client, staff_user, chair):
    client.force_login(staff_user)
    response = client.post("/products/translate/", row_data(chair, materials_zh="钢" * 300), **EN)
    assert response.status_code == 400
    assert "钢" * 300 in response.content.decode()
    chair.refresh_from_db()
    assert chair.materials_zh == ""


def test_regency_staff_see_and_save_only_their_regencies(
    client, regency_user, chair, make_product, make_producer
):
    other = make_product(producer=make_producer("35.10"), name_id="Batik")
    client.force_login(regency_user)
    content = client.get("/products/translate/", **EN).content.decode()
    assert f'data-product="{chair.code}"' in content
    assert f'data-product="{other.code}"' not in content
    response = client.post("/products/translate/", row_data(other, name_zh="蜡染"), **EN)
    assert response.status_code == 403
    assert Product.objects.get(pk=other.pk).name_zh == ""


def test_visitors_are_refused(client, visitor_user, chair):
    client.force_login(visitor_user)
    assert client.get("/products/translate/").status_code == 403
    assert client.post("/products/translate/", row_data(chair, name_zh="椅")).status_code == 403


def test_an_unknown_product_is_404(client, staff_user):
    client.force_login(staff_user)
    assert client.post("/products/translate/", {"product": "NOPE-1"}).status_code == 404


def test_twenty_products_a_page_in_a_fixed_number_of_queries(
    client, staff_user, make_product, make_producer, django_assert_max_num_queries
):
    producer = make_producer("35.09")
    for number in range(PER_PAGE + 5):
        make_product(producer=producer, name_id=f"Produk {number}")
    client.force_login(staff_user)
    client.get("/products/translate/")  # warm the session and permission caches
    with django_assert_max_num_queries(12):
        response = client.get("/products/translate/?lang=zh", **EN)
    content = response.content.decode()
    assert content.count('data-testid="translate-row"') == PER_PAGE
    assert 'href="?lang=zh&amp;page=2" rel="next"' in content
    page_two = client.get("/products/translate/?lang=zh&page=2", **EN).content.decode()
    assert page_two.count('data-testid="translate-row"') == 5


def test_the_list_and_the_product_page_link_to_it(client, staff_user, chair):
    client.force_login(staff_user)
    listing = client.get("/products/?regency=35.09", **EN).content.decode()
    assert 'href="/products/translate/?lang=zh&amp;regency=35.09"' in listing
    detail = client.get(f"/products/{chair.code}/", **EN).content.decode()
    assert f'href="/products/translate/?lang=zh&amp;q={chair.code}"' in detail
