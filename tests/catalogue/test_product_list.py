"""The product list: every filter, sorting, paging, grid view, chips and query counts."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalogue.models import Certification, Product, ProductPhoto, Tag
from home.drawing import draw_product_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_producer, make_product):
    """Six products over two regencies, with distinct values for every filter."""
    drum = make_producer("35.09", "35.09.24", name="Drum Pakusari", kind="home_industry")
    ptpn = make_producer("35.09", "35.09.01", name="PTPN Cerutu Jember", kind="state_company")
    batik = make_producer("35.10", name="Batik Gandrung", kind="cooperative")
    snack = make_producer("35.10", name="Sari Rasa", kind="sme")
    items = {
        "chair": make_product(
            producer=drum,
            category="furnitur-logam",
            name_id="Kursi drum",
            name_en="Drum chair",
            name_zh="油桶椅",
            price_idr=850_000,
            hs_code_id="940171",
        ),
        "table": make_product(
            producer=drum,
            category="furnitur-kayu",
            name_id="Meja jati",
            price_idr=2_500_000,
            status="candidate",
            packaging_status="needs_improvement",
        ),
        "cigar": make_product(
            producer=ptpn,
            category="cerutu",
            name_id="Cerutu Besuki",
            price_idr=150_000,
            hs_code_id="240210",
            status="promoted",
        ),
        "batik": make_product(
            producer=batik,
            category="batik",
            name_id="Batik gajah oling",
            price_idr=400_000,
            status="shortlisted",
            packaging_status="export_ready",
        ),
        "chips": make_product(
            producer=snack, category="makanan-olahan", name_id="Keripik pisang", price_idr=25_000
        ),
        "wafer": make_product(
            producer=snack, category="makanan-olahan", name_id="Wafer kopi", price_idr=None
        ),
    }
    today = timezone.localdate()
    Certification.objects.create(
        product=items["chips"], kind="halal", expires_on=today + datetime.timedelta(days=300)
    )
    Certification.objects.create(
        product=items["wafer"], kind="halal", expires_on=today - datetime.timedelta(days=1)
    )
    ProductPhoto.objects.create(
        product=items["chair"], image=draw_product_photo("Kursi", size=(120, 90)), is_primary=True
    )
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Product.objects.filter(pk__in=[items["table"].pk, items["wafer"].pk]).update(
        updated_at=long_ago
    )
    recycled = Tag.objects.create(slug="daur-ulang", name="Daur ulang")
    items["chair"].tags.add(recycled)
    # Fixed scores (set last: saving photos and certifications recomputes readiness).
    scores = {"chair": 80, "table": 60, "cigar": 50, "batik": 90, "chips": 30, "wafer": 10}
    for key, score in scores.items():
        Product.objects.filter(pk=items[key].pk).update(readiness_score=score)
    return {key: Product.objects.get(pk=p.pk).code for key, p in items.items()}


def listed(client, query=""):
    response = client.get("/products/?" + query)
    assert response.status_code == 200
    return response, [p.code for p in response.context["page"].object_list]


def keys(catalogue, codes):
    by_code = {code: key for key, code in catalogue.items()}
    return {by_code[code] for code in codes}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"chair", "table", "cigar", "batik", "chips", "wafer"}),
        ("q=kursi", {"chair"}),
        ("q=Drum+chair", {"chair"}),
        ("q=油桶", {"chair"}),
        ("q=gandrung", {"batik"}),  # producer name
        ("q=2402.10", {"cigar"}),
        ("q=240210", {"cigar"}),
        ("q=9401", {"chair"}),
        ("q=drum+meja", {"table"}),  # every word must match somewhere
        ("regency=35.09", {"chair", "table", "cigar"}),
        ("regency=35.10", {"batik", "chips", "wafer"}),
        ("regency=35.09&district=35.09.24", {"chair", "table"}),
        ("district=35.09.01", {"cigar"}),
        ("category=furnitur", {"chair", "table"}),  # parent includes sub-categories
        ("category=furnitur-logam", {"chair"}),
        ("category=tembakau", {"cigar"}),
        ("category=cerutu", {"cigar"}),
        ("kind=sme", {"chips", "wafer"}),
        ("kind=state_company", {"cigar"}),
        ("status=draft", {"chair", "chips", "wafer"}),
        ("status=candidate&status=promoted", {"table", "cigar"}),
        ("min_readiness=60", {"chair", "table", "batik"}),
        ("min_readiness=85", {"batik"}),
        ("packaging_status=export_ready", {"batik"}),
        ("packaging_status=needs_improvement", {"table"}),
        ("certification=halal", {"chips"}),  # the wafer's halal certificate has expired
        ("has_photo=1", {"chair"}),
        ("has_photo=0", {"table", "cigar", "batik", "chips", "wafer"}),
        ("price_min=400000", {"chair", "table", "batik"}),
        ("price_max=400000", {"cigar", "batik", "chips"}),
        ("price_min=100000&price_max=900000", {"chair", "cigar", "batik"}),
        ("tag=daur-ulang", {"chair"}),
        ("regency=35.09&status=draft", {"chair"}),
        ("q=zzzz-nothing", set()),
    ],
)
def test_filter_returns_exactly_the_matching_products(staff_client, catalogue, query, expected):
    response, codes = listed(staff_client, query)
    assert keys(catalogue, codes) == expected
    assert response.context["page"].paginator.count == len(expected)


def test_updated_since_keeps_recently_changed_products(staff_client, catalogue):
    since = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    _response, codes = listed(staff_client, f"updated_since={since}")
    assert keys(catalogue, codes) == {"chair", "cigar", "batik", "chips"}


def test_missing_filter_lists_products_with_that_readiness_gap(staff_client, catalogue):
    _response, codes = listed(staff_client, "missing=name_zh")
    assert keys(catalogue, codes) == {"table", "cigar", "batik", "chips", "wafer"}
    for product in Product.objects.filter(code__in=codes):
        assert "name_zh" in product.readiness_gaps


def test_district_choices_are_those_of_the_chosen_regency(staff_client, catalogue):
    response, _codes = listed(staff_client, "regency=35.09")
    districts = response.context["filter"].form.fields["district"].queryset
    assert districts.count() > 1
    assert {d.regency.code for d in districts} == {"35.09"}
    response, _codes = listed(staff_client, "")
    assert {
        d.regency.code for d in response.context["filter"].form.fields["district"].queryset
    } == {
        "35.08",
        "35.09",
        "35.10",
        "35.11",
        "35.12",
        "35.13",
        "35.74",
    }


def test_district_of_another_regency_is_not_accepted(staff_client, catalogue):
    response, codes = listed(staff_client, "regency=35.10&district=35.09.24")
    assert "district" in response.context["filter"].errors
    assert b'class="notice"' in response.content


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("price", ["chips", "cigar", "batik", "chair", "table"]),
        ("-price", ["table", "chair", "batik", "cigar", "chips"]),
        ("readiness", ["wafer", "chips", "cigar", "table", "chair", "batik"]),
        ("-readiness", ["batik", "chair", "table", "cigar", "chips", "wafer"]),
        ("name", ["batik", "cigar", "chips", "chair", "table", "wafer"]),
        ("-name", ["wafer", "table", "chair", "chips", "cigar", "batik"]),
    ],
)
def test_sorting(staff_client, catalogue, sort, order):
    _response, codes = listed(staff_client, f"sort={sort}")
    by_code = {code: key for key, code in catalogue.items()}
    got = [by_code[c] for c in codes if by_code[c] != "wafer" or sort not in ("price", "-price")]
    assert got == order


def test_sort_links_keep_the_filters(staff_client, catalogue):
    response, _codes = listed(staff_client, "regency=35.09&sort=price")
    assert "?regency=35.09&amp;sort=-price" in response.content.decode()


@pytest.fixture
def many_products(make_producer, make_product):
    producer = make_producer("35.09")
    for number in range(120):
        make_product(producer=producer, name_id=f"Produk {number:03d}")


@pytest.mark.parametrize(
    ("per_page", "rows"),
    [("25", 25), ("50", 50), ("100", 100), ("200", 120), ("", 50), ("7", 50), ("abc", 50)],
)
def test_page_size(staff_client, many_products, per_page, rows):
    response, codes = listed(staff_client, f"per_page={per_page}")
    assert len(codes) == rows
    assert response.context["page"].paginator.count == 120


def test_pages_follow_one_another_without_overlap(staff_client, many_products):
    _r, first = listed(staff_client, "per_page=50")
    _r, second = listed(staff_client, "per_page=50&page=2")
    response, third = listed(staff_client, "per_page=50&page=3")
    assert len(set(first + second + third)) == 120
    assert len(third) == 20
    assert 'href="?page=2&amp;per_page=50"' in response.content.decode()  # canonical order


def test_page_past_the_end_shows_the_last_page(staff_client, many_products):
    response, codes = listed(staff_client, "page=99")
    assert response.context["page"].number == 3
    assert len(codes) == 20


def test_grid_view_renders_the_products(staff_client, catalogue):
    response, codes = listed(staff_client, "view=grid&regency=35.09")
    content = response.content.decode()
    assert 'data-testid="product-grid"' in content
    assert 'data-testid="product-table"' not in content
    for code in codes:
        assert f"/products/{code}/" in content
    chair = ProductPhoto.objects.get()
    assert chair.thumbnail.url in content
    assert chair.image.url not in content  # lists never load originals


def test_table_view_shows_thumbnails_not_originals(staff_client, catalogue):
    response, _codes = listed(staff_client)
    content = response.content.decode()
    assert 'data-testid="product-table"' in content
    photo = ProductPhoto.objects.get()
    assert photo.thumbnail.url in content
    assert photo.image.url not in content


def test_result_count_is_shown(staff_client, catalogue):
    response, _codes = listed(staff_client, "regency=35.09")
    count = response.content.decode().split('data-testid="result-count">')[1].split("<")[0]
    assert count.strip().startswith("3 ")


def _chips(response):
    return {label: (value, url) for label, value, url in response.context["listing"].chips()}


def test_chips_show_active_filters_and_remove_only_one(staff_client, catalogue):
    response, _codes = listed(
        staff_client, "regency=35.09&status=draft&status=candidate&q=drum&sort=price&page=1"
    )
    chips = response.context["listing"].chips()
    assert len(chips) == 4  # regency, two statuses, search; not sort or page
    by_value = {str(value): url for _label, value, url in chips}
    regency_url = next(url for value, url in by_value.items() if "Jember" in value)
    params = parse_qs(urlsplit(regency_url).query)
    assert "regency" not in params
    assert params["status"] == ["candidate", "draft"]  # canonical: values sorted
    assert params["q"] == ["drum"]
    assert params["sort"] == ["price"]
    assert "page" not in params
    status_urls = [parse_qs(urlsplit(url).query) for _label, _value, url in chips]
    assert {tuple(p.get("status", [])) for p in status_urls} == {
        ("candidate", "draft"),  # the regency and search chips keep both statuses
        ("candidate",),  # the "draft" chip drops only draft
        ("draft",),
    }
    content = response.content.decode()
    for _label, _value, url in chips:
        assert f'href="{url.replace("&", "&amp;")}"' in content


def test_chip_removal_link_lists_what_it_promises(staff_client, catalogue):
    response, _codes = listed(staff_client, "regency=35.09&category=cerutu")
    chips = response.context["listing"].chips()
    category_url = next(url for _label, _value, url in chips if "category" not in url)
    _r, codes = listed(staff_client, category_url.lstrip("?"))
    assert keys(catalogue, codes) == {"chair", "table", "cigar"}


@pytest.mark.parametrize(
    "query",
    [
        "regency=99.99",
        "district=nope",
        "category=no-such-category",
        "status=bogus",
        "min_readiness=abc",
        "price_min=lots",
        "updated_since=yesterday",
        "has_photo=maybe",
        "tag=unknown",
        "sort=password",
        "page=-1",
        "per_page=-5",
        "missing=everything",
        "kind=alien",
        # Issue 11: values past every range, NUL, long and repeated values.
        "updated_since=0001-01-01",
        "updated_since=99999-01-01",
        "price_min=1e309",
        "price_max=-1e999999999",
        "min_readiness=NaN",
        "max_readiness=inf",
        "page=999999999999999999999",
        "per_page=99999999999",
        "sort=" + ",".join(["-price"] * 500),
        "regency=35.09%00",
        "district=%00",
        "tag=" + "x" * 60_000,
        "q=kopi%00",
        "status=" + "&status=".join(["candidate", "draft", "bogus"] * 1_500),
        "imported=999999999999999999999",
    ],
)
def test_invalid_filter_values_do_not_crash(staff_client, catalogue, query):
    response = staff_client.get("/products/?" + query)
    assert response.status_code == 200
    if response.context["filter"].errors:
        assert b'class="notice"' in response.content


def test_unknown_regency_shows_a_notice(staff_client, catalogue):
    response = staff_client.get("/products/?regency=99.99")
    assert response.status_code == 200
    assert "regency" in response.context["filter"].errors
    assert b'class="notice"' in response.content


def _list_queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/products/?" + query)
    assert response.status_code == 200
    return len(captured), len(response.context["page"].object_list)


def _make_products(make_producer, make_product, count, start=0):
    producers = [make_producer("35.09"), make_producer("35.10")]
    categories = ["furnitur-logam", "cerutu", "batik", "makanan-olahan"]
    tag, _created = Tag.objects.get_or_create(slug="pameran", defaults={"name": "Pameran"})
    for number in range(start, start + count):
        product = make_product(
            producer=producers[number % 2],
            category=categories[number % 4],
            name_id=f"Produk {number:03d}",
        )
        if number % 3 == 0:
            product.tags.add(tag)
        if number % 5 == 0:
            ProductPhoto.objects.create(
                product=product, image=draw_product_photo("x", size=(40, 30)), is_primary=True
            )


def test_list_query_count_does_not_grow_with_page_size(staff_client, make_producer, make_product):
    _make_products(make_producer, make_product, 10)
    small_queries, small_rows = _list_queries(staff_client, "per_page=25")
    _make_products(make_producer, make_product, 90, start=10)
    big_queries, big_rows = _list_queries(staff_client, "per_page=100")
    assert (small_rows, big_rows) == (10, 100)
    assert small_queries == big_queries
    grid_queries, _rows = _list_queries(staff_client, "per_page=100&view=grid")
    assert grid_queries == big_queries
    filtered_small, _rows = _list_queries(staff_client, "per_page=25&regency=35.09&status=draft")
    filtered_big, _rows = _list_queries(staff_client, "per_page=100&regency=35.09&status=draft")
    assert filtered_small == filtered_big
    print(f"product list: {big_queries} queries, {filtered_big} with two filters")


def test_filters_not_understood_are_named_by_their_labels_and_get_no_chip(staff_client, catalogue):
    response = staff_client.get(
        "/products/?min_readiness=abc&regency=99.99&status=candidate", HTTP_ACCEPT_LANGUAGE="en"
    )
    fields = response.context["filter"].form.fields
    notice = response.content.decode().split('class="notice">', 1)[1].split("</div>", 1)[0]
    assert f"{fields['min_readiness'].label} — Enter a number." in notice
    assert f"{fields['regency'].label} — " in notice
    assert "min_readiness" not in notice and "regency —" not in notice
    chips = response.context["listing"].chips()
    assert [label for label, _value, _url in chips] == [fields["status"].label]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("id", ["apel malang", "Durian", "zaitun"]),  # Indonesian names, case ignored
        ("en", ["Apple", "durian", "Olive"]),  # English names; "durian" has none
        ("zh-hans", ["Durian", "橄榄", "苹果"]),  # Chinese, Indonesian where it is empty
    ],
)
def test_sorting_by_name_follows_the_language_shown(
    staff_client, make_product, make_producer, language, expected
):
    producer = make_producer()
    make_product(producer=producer, name_id="zaitun", name_en="Olive", name_zh="橄榄")
    make_product(producer=producer, name_id="apel malang", name_en="Apple", name_zh="苹果")
    make_product(producer=producer, name_id="Durian", name_en="durian")
    with translation.override(language):
        response = staff_client.get("/products/?sort=name", HTTP_ACCEPT_LANGUAGE=language)
        shown = [p.localized_name() for p in response.context["page"].object_list]
    assert shown == expected
    reverse = staff_client.get("/products/?sort=-name", HTTP_ACCEPT_LANGUAGE=language)
    assert [p.code for p in reverse.context["page"].object_list] == [
        p.code for p in response.context["page"].object_list
    ][::-1]


@pytest.mark.parametrize("sort", ["status", "-readiness", "name", "category", "producer"])
def test_every_sort_ends_with_the_unique_code_so_pages_never_overlap(staff_client, catalogue, sort):
    response = staff_client.get(f"/products/?sort={sort}")
    assert response.context["listing"].queryset.query.order_by[-1] == "code"


def test_the_sort_menu_keeps_the_filters_and_marks_the_current_sort(staff_client, catalogue):
    response = staff_client.get(
        "/products/?regency=35.09&sort=-price&page=2&view=grid", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    form = html.split('data-testid="sort-form"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="regency" value="35.09">' in form
    assert '<input type="hidden" name="view" value="grid">' in form
    assert 'name="page"' not in form  # a new sort starts at page 1
    assert '<option value="-price" selected>Price (descending)</option>' in form
    assert '<option value="category">' in form  # columns hidden on a laptop still sort


def test_category_choices_list_each_group_then_its_categories(staff_client):
    from catalogue.models import Category

    response = staff_client.get("/products/", HTTP_ACCEPT_LANGUAGE="en")
    choices = response.context["filter"].form.fields["category"].widget.choices
    assert choices[0][0] == ""
    slugs = [slug for slug, _label in choices[1:]]
    assert sorted(slugs) == sorted(Category.objects.values_list("slug", flat=True))
    for category in Category.objects.exclude(parent=None).select_related("parent"):
        assert slugs.index(category.parent.slug) < slugs.index(category.slug)
        label = dict(choices)[category.slug]
        assert label == f"— {category.name_en or category.name}"


@pytest.mark.parametrize(
    "query", ["regency=35.09", "district=35.09.24", "regency=35.10&sort=-price"]
)
def test_regency_and_district_filters_list_exactly_their_products(
    staff_client, make_producer, make_product, query
):
    jember = make_producer("35.09", "35.09.24")
    elsewhere_in_jember = make_producer("35.09", "35.09.01")
    banyuwangi = make_producer("35.10")
    made = {
        p.code: p
        for p in [
            make_product(producer=jember, price_idr=5),
            make_product(producer=elsewhere_in_jember, price_idr=7),
            make_product(producer=banyuwangi, price_idr=3),
            make_product(producer=banyuwangi, price_idr=9),
        ]
    }
    params = dict(pair.split("=") for pair in query.split("&"))
    expected = [
        p
        for p in made.values()
        if p.producer.regency.code == params.get("regency", p.producer.regency.code)
        and p.producer.district.code == params.get("district", p.producer.district.code)
    ]
    key = (lambda p: -p.price_idr) if params.get("sort") == "-price" else (lambda p: p.code)
    _response, codes = listed(staff_client, query)
    assert codes == [p.code for p in sorted(expected, key=key)]


@pytest.mark.parametrize("name, value", [("regency", "35.09"), ("district", "35.09.24")])
def test_regency_and_district_filters_nest_inside_another_product_query(
    make_producer, make_product, name, value
):
    # Bulk actions and exports nest the filtered queryset in other Product queries; the
    # filter must then test the inner rows, not the outer ones.
    from django.db.models import Exists, OuterRef

    from catalogue.filtersets import ProductFilterSet

    jember = make_producer("35.09", "35.09.24")
    banyuwangi = make_producer("35.10")
    inside = make_product(producer=jember, category="kerajinan-kayu")
    same_category_elsewhere = make_product(producer=banyuwangi, category="kerajinan-kayu")
    make_product(producer=banyuwangi, category="batik")
    filtered = ProductFilterSet({name: value}, queryset=Product.objects.all()).qs

    nested = Product.objects.filter(pk__in=filtered.values("pk"))
    assert list(nested.values_list("code", flat=True)) == [inside.code]

    # Products of any regency that share a category with a product of the filter's area.
    sharing = Product.objects.filter(
        Exists(filtered.filter(category_id=OuterRef("category_id")))
    ).order_by("code")
    assert list(sharing.values_list("code", flat=True)) == sorted(
        [inside.code, same_category_elsewhere.code]
    )


def test_list_page_does_not_read_the_imports_summaries(staff_client, staff_user, catalogue):
    # The "changed by import" filter offers the applied imports; their summaries and
    # changed codes grow with each import's rows and are not needed for the choices.
    from catalogue.models import ImportBatch

    batch = ImportBatch.objects.create(
        user=staff_user,
        original_name="big.xlsx",
        status=ImportBatch.Status.APPLIED,
        applied_at=timezone.now(),
        summary={"rows": ["x" * 100] * 1000},
        changed_codes=[f"JBR-{n:05d}" for n in range(1000)],
    )
    with CaptureQueriesContext(connection) as captured:
        response = staff_client.get("/products/")
    assert f'<option value="{batch.pk}">big.xlsx' in response.content.decode()
    batch_queries = [q["sql"] for q in captured if "catalogue_importbatch" in q["sql"]]
    assert batch_queries
    assert not any("summary" in sql or "changed_codes" in sql for sql in batch_queries)
    # Filtering by the batch still works (its changed codes are not needed either).
    assert staff_client.get(f"/products/?imported={batch.pk}").status_code == 200
