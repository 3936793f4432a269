"""Producer list, detail and edit pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Producer
from regions.models import District
from tests.catalogue.test_product_edit import form_data
from visits.models import Visit, VisitNote, VisitStop

pytestmark = pytest.mark.django_db


@pytest.fixture
def producers(make_producer):
    made = {
        "drum": make_producer(
            "35.09",
            "35.09.24",
            name="Drum Pakusari",
            kind="home_industry",
            contact_person="Pak Slamet",
        ),
        "ptpn": make_producer("35.09", "35.09.01", name="PTPN Cerutu", kind="state_company"),
        "smk": make_producer("35.09", "35.09.24", name="SMK Negeri 5", kind="smk"),
        "batik": make_producer("35.10", name="Batik Gandrung", kind="cooperative"),
    }
    return {key: p.code for key, p in made.items()}


def listed(client, query=""):
    response = client.get("/producers/?" + query)
    assert response.status_code == 200
    return {p.code for p in response.context["page"].object_list}


def named(producers, *keys):
    return {producers[key] for key in keys}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ("drum", "ptpn", "smk", "batik")),
        ("q=drum", ("drum",)),
        ("q=slamet", ("drum",)),  # contact person
        ("q=P-BWI", ("batik",)),  # code
        ("regency=35.09", ("drum", "ptpn", "smk")),
        ("regency=35.10", ("batik",)),
        ("regency=35.09&district=35.09.24", ("drum", "smk")),
        ("district=35.09.01", ("ptpn",)),
        ("kind=smk", ("smk",)),
        ("kind=state_company&regency=35.09", ("ptpn",)),
        ("regency=35.10&kind=smk", ()),
    ],
)
def test_producer_filters(staff_client, producers, query, expected):
    assert listed(staff_client, query) == named(producers, *expected)


def test_producer_list_shows_the_product_count_linked_to_the_product_list(
    staff_client, producers, make_product
):
    drum = Producer.objects.get(code=producers["drum"])
    make_product(producer=drum)
    make_product(producer=drum)
    response = staff_client.get("/producers/?regency=35.09")
    counts = {p.pk: p.product_count for p in response.context["page"].object_list}
    assert counts[drum.pk] == 2
    assert counts[Producer.objects.get(code=producers["ptpn"]).pk] == 0  # none: 0, not empty
    assert f'href="/products/?producer={drum.code}">2</a>' in response.content.decode()
    listed_products = staff_client.get(f"/products/?producer={drum.code}")
    assert listed_products.context["page"].paginator.count == 2


def test_invalid_producer_filters_do_not_crash(staff_client, producers):
    for query in ("regency=99.99", "district=x", "kind=alien", "sort=secret", "per_page=x"):
        assert staff_client.get("/producers/?" + query).status_code == 200


def _queries(client, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/producers/?" + query)
    return len(captured), len(response.context["page"].object_list)


def test_producer_list_query_count_does_not_grow_with_page_size(
    staff_client, make_producer, make_product
):
    for number in range(10):
        make_product(producer=make_producer("35.09" if number % 2 else "35.10"))
    small = _queries(staff_client, "per_page=25")
    for number in range(90):
        make_producer(["35.09", "35.10", "35.11"][number % 3])
    big = _queries(staff_client, "per_page=100")
    assert (small[1], big[1]) == (10, 100)
    assert small[0] == big[0]
    print(f"producer list queries per page: {big[0]}")


def test_producer_detail_shows_products_notes_and_visits(
    client, visitor_user, staff_user, producers, make_product
):
    drum = Producer.objects.get(code=producers["drum"])
    chair = make_product(producer=drum, name_id="Kursi drum")
    other = make_product(
        producer=Producer.objects.get(code=producers["batik"]), name_id="Batik lain"
    )
    visit = Visit.objects.create(
        title="Kunjungan TEC Mei",
        start_date=datetime.date(2025, 5, 12),
        end_date=datetime.date(2025, 5, 14),
    )
    VisitStop.objects.create(visit=visit, producer=drum, position=1)
    VisitNote.objects.create(
        producer=drum, product=chair, author=visitor_user, visit=visit, text="Finishing rapi"
    )
    VisitNote.objects.create(
        producer=drum, author=staff_user, text="Catatan pribadi staf", visibility="private"
    )
    client.force_login(visitor_user)
    response = client.get(f"/producers/{drum.code}/")
    content = response.content.decode()
    assert f"/products/{chair.code}/" in content
    assert f"/products/{other.code}/" not in content
    assert "Kunjungan TEC Mei" in content
    assert f"/visits/{visit.pk}/" in content
    assert "Finishing rapi" in content
    assert "Catatan pribadi staf" not in content
    assert 'href="/producers/' + drum.code + '/edit/"' not in content
    client.force_login(staff_user)
    content = client.get(f"/producers/{drum.code}/").content.decode()
    assert "Catatan pribadi staf" in content
    assert f'href="/producers/{drum.code}/edit/"' in content
    assert f"/products/new/?producer={drum.code}" in content


def _edit(client, code, **changes):
    data = form_data(client.get(f"/producers/{code}/edit/"), must_have="version")
    for name, value in changes.items():
        data[name] = [value]
    return data


def test_staff_edit_saves_and_stamps(staff_client, staff_user, producers):
    code = producers["drum"]
    back = "/producers/?regency=35.09&kind=home_industry"
    data = _edit(staff_client, code, name="Drum Pakusari Jaya", nib="9120001234567", next=back)
    response = staff_client.post(f"/producers/{code}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == back
    producer = Producer.objects.get(code=code)
    assert producer.name == "Drum Pakusari Jaya"
    assert producer.nib == "9120001234567"
    assert producer.updated_by == staff_user


def test_nib_written_with_spaces_is_accepted(staff_client, producers):
    code = producers["drum"]
    data = _edit(staff_client, code, nib="9120 0012 34567")
    assert staff_client.post(f"/producers/{code}/edit/", data).status_code == 302
    assert Producer.objects.get(code=code).nib == "9120001234567"


@pytest.mark.parametrize("nib", ["12345", "91200012345678", "91200O1234567", "٩١٢٠٠٠١٢٣٤٥٦٧"])
def test_bad_nib_is_refused(staff_client, producers, nib):
    code = producers["drum"]
    response = staff_client.post(f"/producers/{code}/edit/", _edit(staff_client, code, nib=nib))
    assert response.status_code == 200
    assert "nib" in response.context["form"].errors
    assert Producer.objects.get(code=code).nib == ""


def test_duplicate_nib_is_refused_with_a_message(staff_client, producers):
    Producer.objects.filter(code=producers["ptpn"]).update(nib="9120001234567")
    code = producers["drum"]
    data = _edit(staff_client, code, nib="9120001234567")
    response = staff_client.post(f"/producers/{code}/edit/", data)
    assert response.status_code == 200
    # The partial unique constraint reports a form-wide error (the field is not named).
    assert response.context["form"].errors
    assert b'data-testid="form-error"' in response.content
    assert Producer.objects.get(code=code).nib == ""


def test_district_outside_the_regency_is_refused(staff_client, producers):
    code = producers["drum"]
    banyuwangi_district = District.objects.filter(regency__code="35.10").first()
    data = _edit(staff_client, code, district=str(banyuwangi_district.pk))
    response = staff_client.post(f"/producers/{code}/edit/", data)
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert Producer.objects.get(code=code).district.code == "35.09.24"


def test_second_save_from_a_stale_producer_form_is_refused(client, staff_user, producers):
    code = producers["drum"]
    client.force_login(staff_user)
    first = _edit(client, code, name="Drum Pakusari Jaya")
    second = _edit(client, code, name="Drum Pakusari Makmur")
    assert client.post(f"/producers/{code}/edit/", first).status_code == 302
    response = client.post(f"/producers/{code}/edit/", second, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b'data-testid="form-error"' in response.content
    assert "Someone else saved this producer" in response.content.decode()
    assert Producer.objects.get(code=code).name == "Drum Pakusari Jaya"


def test_regency_staff_cannot_move_a_producer_to_another_regency(client, regency_user, producers):
    code = producers["drum"]
    client.force_login(regency_user)
    banyuwangi_district = District.objects.filter(regency__code="35.10").first()
    data = _edit(
        client,
        code,
        regency=str(banyuwangi_district.regency_id),
        district=str(banyuwangi_district.pk),
    )
    response = client.post(f"/producers/{code}/edit/", data)
    assert response.status_code == 200
    assert "regency" in response.context["form"].errors
    assert Producer.objects.get(code=code).regency.code == "35.09"


def test_new_producer_gets_a_code_of_its_regency(staff_client, staff_user, producers):
    data = form_data(staff_client.get("/producers/new/"), must_have="version")
    pakusari = District.objects.get(code="35.09.24")
    data.update(
        name=["Kopi Rakyat Sidomulyo"],
        kind=["cooperative"],
        regency=[str(pakusari.regency_id)],
        district=[str(pakusari.pk)],
    )
    response = staff_client.post("/producers/new/", data)
    assert response.status_code == 302
    producer = Producer.objects.get(name="Kopi Rakyat Sidomulyo")
    assert producer.code == "P-JBR-004"
    assert response["Location"] == f"/producers/{producer.code}/"
    assert producer.created_by == staff_user


def test_producer_edit_ignores_next_to_another_host(staff_client, producers):
    code = producers["drum"]
    data = _edit(staff_client, code, next="https://evil.example.com/")
    response = staff_client.post(f"/producers/{code}/edit/", data)
    assert response["Location"] == "/producers/"


@pytest.mark.parametrize("field", ["phone", "whatsapp"])
@pytest.mark.parametrize("value", ["abc", "12345", "+62 812 3301 4478 1234 56", "0331-512 784x"])
def test_a_phone_that_is_not_a_phone_number_is_refused(staff_client, producers, field, value):
    code = producers["drum"]
    data = _edit(staff_client, code, **{field: value})
    response = staff_client.post(f"/producers/{code}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        f"{value} is not a phone number; write it like 0331-512784 or +62 812-3301-4478."
    ]
    assert getattr(Producer.objects.get(code=code), field) == ""


@pytest.mark.parametrize("value", ["0331-512 784", "+62 812-3301-4478", "(0331) 512784", ""])
def test_usual_ways_of_writing_a_phone_number_are_accepted(staff_client, producers, value):
    code = producers["drum"]
    data = _edit(staff_client, code, phone=value, whatsapp=value)
    assert staff_client.post(f"/producers/{code}/edit/", data).status_code == 302
    assert Producer.objects.get(code=code).phone == value
