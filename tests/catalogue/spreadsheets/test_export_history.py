"""Export history: every export is recorded; two exports compare as added/removed/changed."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalogue.filtersets import ProducerFilterSet, ProductFilterSet
from catalogue.models import ExportRecord, Product, Tag
from catalogue.spreadsheets.columns import Column
from catalogue.spreadsheets.export_views import diff_fingerprints, record_export
from core.spreadsheets.writing import Export, fingerprint

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(make_producer, make_product):
    drum = make_producer("35.09", name="Drum Pakusari")
    batik = make_producer("35.10", name="Batik Gandrung")
    made = {
        "chair": make_product(producer=drum, name_id="Kursi drum", price_idr=850_000),
        "table": make_product(producer=drum, name_id="Meja jati", price_idr=2_500_000),
        "stool": make_product(producer=drum, name_id="Bangku", price_idr=300_000),
        "batik": make_product(producer=batik, category="batik", name_id="Batik gajah oling"),
    }
    return {key: p.code for key, p in made.items()}


def export(client, query="", fmt="csv", path="/products/export/"):
    response = client.get(f"{path}?format={fmt}&{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    return ExportRecord.objects.order_by("-pk").first()


def test_an_export_is_recorded_when_its_file_is_complete(client, staff_user, products):
    client.force_login(staff_user)
    response = client.get(
        "/products/export/?format=xlsx&regency=35.09&sort=-price&page=3&per_page=25",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not ExportRecord.objects.exists()  # nothing until the stream has been sent
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert record.user == staff_user
    assert record.format == "xlsx" and record.kind == "products"
    assert record.query == "regency=35.09&sort=-price"
    # (The sort label's first word follows django-filter's language at start-up.)
    assert record.filters_text.startswith("Regency: Kabupaten Jember; Sort: ")
    assert record.filters_text.endswith(" (descending)")
    assert record.row_count == 3
    assert set(record.fingerprints) == {products["chair"], products["table"], products["stool"]}
    assert all(len(digest) == 10 for digest in record.fingerprints.values())


def test_fingerprints_of_many_rows_and_odd_codes_are_stored_whole(staff_user):
    """The fingerprints reach the database from their temporary file in pieces (on
    PostgreSQL by COPY, whose text format escapes backslash, tab and line ends)."""
    odd = ["A\\B", 'A"B', "A\tB", "A\nB", "A\rB", "Ä-0001", "产品-1", "x" * 70_000]
    codes = [*odd, *(f"JBR-{n:05d}" for n in range(5_000))]
    columns = [Column("code", "Code"), Column("name_id", "Name")]
    rows = ([code, f"nama {code}"] for code in codes)
    export = Export(columns=columns, rows=rows, spool_bytes=10_000)
    for _row in export.counted_rows():
        pass
    record = record_export(
        export, user=staff_user, fmt="csv", kind="products", query="", filters=""
    )
    assert record.row_count == len(codes)
    expected = {code: fingerprint([code, f"nama {code}"]) for code in codes}
    assert record.fingerprints == expected  # read back from the database (deferred)
    assert ExportRecord.objects.get(pk=record.pk).fingerprints == expected


def test_every_format_and_the_producer_list_are_recorded(client, visitor_user, products):
    client.force_login(visitor_user)
    for fmt in ("csv", "ods", "lookbook"):
        export(client, "q=kursi", fmt)
    export(client, "regency=35.10", "xlsx", "/producers/export/")
    records = list(ExportRecord.objects.order_by("pk").values_list("format", "kind", "row_count"))
    assert records == [
        ("csv", "products", 1),
        ("ods", "products", 1),
        ("lookbook", "products", 1),
        ("xlsx", "producers", 1),
    ]


def test_the_command_line_export_is_recorded_without_a_user(products, tmp_path):
    call_command("export_products", str(tmp_path / "x.csv"), "--regency", "35.10")
    record = ExportRecord.objects.get()
    assert record.user is None and record.query == "regency=35.10" and record.row_count == 1


def test_same_values_give_the_same_fingerprint_whatever_the_update_time(
    client, staff_user, products
):
    client.force_login(staff_user)
    first = export(client)
    Product.objects.filter(code=products["chair"]).update(updated_at=timezone.now())
    second = export(client, fmt="xlsx")
    assert first.fingerprints == second.fingerprints


def test_history_lists_exports_with_links_back_to_the_list(client, staff_user, products):
    client.force_login(staff_user)
    export(client, "regency=35.09&status=draft")
    export(client, "kind=cooperative", "ods", "/producers/export/")
    page = client.get("/exports/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/products/?regency=35.09&amp;status=draft"' in page
    assert 'href="/producers/?kind=cooperative"' in page
    assert "Regency: Kabupaten Jember; Promotion status: Draft" in page
    assert "Export history" in page  # the navigation link


def test_visitors_see_only_their_own_exports_and_staff_see_all(
    client, staff_user, visitor_user, products
):
    client.force_login(staff_user)
    by_staff = export(client, "q=meja")
    client.force_login(visitor_user)
    by_visitor = export(client, "q=kursi")

    page = client.get("/exports/")
    assert [r.pk for r in page.context["page"].object_list] == [by_visitor.pk]
    compare = client.get(f"/exports/compare/?a={by_staff.pk}&b={by_visitor.pk}")
    assert compare.status_code == 404

    client.force_login(staff_user)
    page = client.get("/exports/")
    assert [r.pk for r in page.context["page"].object_list] == [by_visitor.pk, by_staff.pk]
    assert client.get(f"/exports/compare/?a={by_staff.pk}&b={by_visitor.pk}").status_code == 200


def test_history_preselects_the_two_latest_exports_of_the_same_list(client, staff_user, products):
    client.force_login(staff_user)
    older = export(client)
    export(client, path="/producers/export/")
    newer = export(client)
    page = client.get("/exports/")
    assert page.context["default_a"] == older.pk and page.context["default_b"] == newer.pk
    assert f'name="a" value="{older.pk}" aria-label' in page.content.decode()


def test_diff_shows_added_removed_and_changed_products(
    client, staff_user, products, make_product, make_producer
):
    client.force_login(staff_user)
    before = export(client)
    Product.objects.get(code=products["chair"]).delete()  # removed from the catalogue
    table = Product.objects.get(code=products["table"])
    table.price_idr = 2_750_000  # changed
    table.save()
    Product.objects.filter(code=products["stool"]).update(status="candidate")  # changed
    lamp = make_product(name_id="Lampu rotan", producer=make_producer("35.09"))  # added
    after = export(client)

    response = client.get(f"/exports/compare/?a={after.pk}&b={before.pk}")  # order-insensitive
    assert response.context["a"] == before and response.context["b"] == after
    sections = {s["key"]: s for s in response.context["sections"]}
    assert [code for code, _n, _u in sections["added"]["items"]] == [lamp.code]
    assert sections["added"]["items"][0] == (lamp.code, "Lampu rotan", f"/products/{lamp.code}/")
    assert [code for code, _n, _u in sections["removed"]["items"]] == [products["chair"]]
    assert sections["removed"]["items"][0][2] is None  # deleted: no link
    assert [c for c, _n, _u in sections["changed"]["items"]] == sorted(
        [products["table"], products["stool"]]
    )
    assert response.context["unchanged"] == 1  # the batik
    page = response.content.decode()
    assert f'href="/products/{products["table"]}/"' in page and "Meja jati" in page


def test_diff_of_differently_filtered_exports(client, staff_user, products):
    client.force_login(staff_user)
    jember = export(client, "regency=35.09")
    everything = export(client)
    response = client.get(f"/exports/compare/?a={jember.pk}&b={everything.pk}")
    sections = {s["key"]: s for s in response.context["sections"]}
    assert [c for c, _n, _u in sections["added"]["items"]] == [products["batik"]]
    assert sections["removed"]["count"] == sections["changed"]["count"] == 0


def test_diff_refuses_exports_of_different_lists(client, staff_user, products):
    client.force_login(staff_user)
    of_products = export(client)
    of_producers = export(client, path="/producers/export/")
    response = client.get(
        f"/exports/compare/?a={of_products.pk}&b={of_producers.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302 and response["Location"] == "/exports/"


@pytest.mark.parametrize("query", ["", "a=1", "a=x&b=2", "b=3"])
def test_diff_without_two_exports_goes_back_to_the_history(client, staff_user, query):
    client.force_login(staff_user)
    response = client.get(f"/exports/compare/?{query}")
    assert response.status_code == 302 and response["Location"] == "/exports/"


def test_diff_of_an_unknown_export_is_not_found(client, staff_user, products):
    client.force_login(staff_user)
    record = export(client)
    assert client.get(f"/exports/compare/?a={record.pk}&b=999999").status_code == 404


def test_diff_fingerprints():
    old = {"A": "1", "B": "2", "C": "3"}
    new = {"B": "2", "C": "4", "D": "5"}
    assert diff_fingerprints(old, new) == (["D"], ["A"], ["C"])


def test_fingerprint_is_short_stable_and_value_sensitive():
    row = ["JBR-0001", "Kursi", None, 850_000]
    assert fingerprint(row) == fingerprint(list(row))
    assert len(fingerprint(row)) == 10
    assert fingerprint(row) != fingerprint(["JBR-0001", "Kursi", None, 850_001])
    assert fingerprint(["a", None]) != fingerprint(["a", "None "])


def test_record_links_to_its_row_in_the_history(client, staff_user, products):
    client.force_login(staff_user)
    record = export(client)
    assert record.get_absolute_url() == f"/exports/#export-{record.pk}"
    assert f'id="export-{record.pk}"' in client.get("/exports/").content.decode()


def test_admin_shows_exports_read_only(admin_client, products):
    export(admin_client)
    record = ExportRecord.objects.get()
    assert admin_client.get("/admin/catalogue/exportrecord/").status_code == 200
    detail = admin_client.get(f"/admin/catalogue/exportrecord/{record.pk}/change/")
    assert detail.status_code == 200
    assert detail.context["has_change_permission"] is False
    assert admin_client.get("/admin/catalogue/exportrecord/add/").status_code == 403


def test_long_diff_lists_are_cut_with_a_count(client, staff_user, products, monkeypatch):
    from catalogue.spreadsheets import export_views

    monkeypatch.setattr(export_views, "DIFF_LIST_LIMIT", 1)
    client.force_login(staff_user)
    jember = export(client, "regency=99.99&q=zzz")  # nothing matches
    everything = export(client)
    response = client.get(
        f"/exports/compare/?a={jember.pk}&b={everything.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    added = response.context["sections"][0]
    assert added["count"] == 4 and len(added["items"]) == 1 and added["more"] == 3
    assert "… and 3 more" in response.content.decode()


def test_history_shows_filters_in_the_readers_language(client, staff_user, products):
    client.force_login(staff_user)
    response = client.get(  # exported by someone reading Indonesian
        "/products/export/?format=csv&regency=35.09&status=draft&sort=-price",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert "(descending)" not in record.filters_text and "Harga" in record.filters_text
    shown = {}
    for language in ("en", "zh-hans", "id"):
        page = client.get("/exports/", HTTP_ACCEPT_LANGUAGE=language)
        shown[language] = page.context["page"].object_list[0].filters_shown
    assert shown["en"] == (
        "Regency: Kabupaten Jember; Promotion status: Draft; Sort: Price (descending)"
    )
    assert "(descending)" not in shown["zh-hans"] and "Jember" in shown["zh-hans"]
    assert shown["id"] == record.filters_text  # the reader's language is the exporter's


# --- Constant queries (issue 12, point 5) -------------------------------------------------

HISTORY_QUERIES = [
    "regency=35.09&category=cerutu&status=candidate&sort=-price",
    "regency=35.10&district={district}&tag=pameran&min_readiness=40",
    "producer={producer}&status=draft&status=promoted&has_photo=no",
    "regency=99.99&category=nope&district=35.10.01&min_readiness=abc&sort=bogus",
    "regency=35.09&district={other_district}&price_min=1000&q=kursi+drum",
    "category=furnitur-logam&tag=tidak-ada&producer=XX-999&imported=abc",
]


def _history_queries(make_producer):
    from regions.models import District

    producer = make_producer("35.09")
    Tag.objects.create(name="Pameran", slug="pameran")
    values = {
        "district": District.objects.filter(regency__code="35.10").first().code,
        "other_district": District.objects.filter(regency__code="35.10").first().code,
        "producer": producer.code,
    }
    return [query.format(**values) for query in HISTORY_QUERIES]


def test_history_describes_filters_as_the_list_does(client, staff_user, make_producer):
    from core.listing import ListQuery

    queries = _history_queries(make_producer)
    for query in queries:
        ExportRecord.objects.create(kind="products", format="csv", query=query, user=staff_user)
    ExportRecord.objects.create(
        kind="producers", format="csv", query="regency=35.09&kind=home_industry"
    )
    client.force_login(staff_user)
    response = client.get("/exports/", HTTP_ACCEPT_LANGUAGE="en")
    shown = {(r.kind, r.query): r.filters_shown for r in response.context["page"].object_list}
    for (kind, query), text in shown.items():
        filterset_class = ProductFilterSet if kind == "products" else ProducerFilterSet
        with translation.override("en"):
            assert text == ListQuery.from_string(filterset_class, query).words(), query
    assert "Regency: Kabupaten Jember; Category: " in shown["products", queries[0]]
    assert "Tag: Pameran" in shown["products", queries[1]]


@pytest.mark.parametrize("page", ["/exports/", "/exports/compare/?a={a}&b={b}"])
def test_history_costs_the_same_queries_for_5_and_for_50_exports(
    client, staff_user, make_producer, page
):
    producers = [make_producer("35.09") for _ in range(3)]
    Tag.objects.create(name="Pameran", slug="pameran")
    client.force_login(staff_user)
    counts = []
    for total in (5, 50):
        ExportRecord.objects.all().delete()
        # Every record a different query, each with every kind of filter.
        records = [
            ExportRecord.objects.create(
                kind="producers",
                format="csv",
                query=f"regency=35.09&district=35.09.0{n % 9 + 1}&kind=home_industry&q=k{n}",
                user=staff_user,
                fingerprints={"A-0001": "x"},
            )
            for n in range(2)
        ] + [
            ExportRecord.objects.create(
                kind="products",
                format="csv",
                query=(
                    f"regency=35.0{9 + n % 2}&district=35.09.0{n % 9 + 1}&category=cerutu"
                    f"&tag=pameran&producer={producers[n % 3].code}&imported={n}&status=draft"
                    f"&price_max={n + 1000}&sort=-price"
                ),
                user=staff_user,
                fingerprints={"A-0001": "x"},
            )
            for n in range(total - 2)
        ]
        url = page.format(a=records[2].pk, b=records[3].pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
