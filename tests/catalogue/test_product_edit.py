"""Product create and edit: saving, optimistic locking, validation, photos, certifications."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Category, Certification, Product, ProductPhoto, StatusChange
from home.drawing import draw_product_photo

pytestmark = pytest.mark.django_db


class _FormParser(HTMLParser):
    """Collects what a browser would submit for each ``<form>`` of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._form = None
        self._select = None
        self._select_options = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attrs, "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self._form["fields"].append((name, attrs.get("value", default)))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._select_options = []
        elif tag == "option" and self._select is not None:
            self._select_options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, multiple = self._select
            chosen = [v for v, selected in self._select_options if selected]
            if not chosen and not multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            self._form["fields"].extend((name, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form["fields"].append((name, text.removeprefix("\n")))
            self._textarea = None


def form_data(response, must_have="name_id"):
    """The data a browser would post from the page's form that has a ``must_have`` field."""
    parser = _FormParser()
    parser.feed(response.content.decode())
    for form in parser.forms:
        names = [name for name, _value in form["fields"]]
        if must_have in names:
            data = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no form with a {must_have!r} field on the page")


def jpeg(name="photo.jpg", seed=0):
    content = draw_product_photo("Kursi", seed=seed, size=(320, 240))
    return SimpleUploadedFile(name, content.read(), content_type="image/jpeg")


def text_file_named_jpeg():
    return SimpleUploadedFile(
        "not-a-photo.jpg", b"just some text\n" * 20, content_type="image/jpeg"
    )


@pytest.fixture
def product(make_producer, make_product):
    producer = make_producer("35.09", name="Drum Pakusari")
    return make_product(producer=producer, name_id="Kursi drum", price_idr=850_000)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _edit_data(client, product, **changes):
    data = form_data(client.get(f"/products/{product.code}/edit/"))
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return data


def _photo(product, seed, position, primary=False):
    return ProductPhoto.objects.create(
        product=product,
        image=draw_product_photo("Kursi", seed=seed, size=(160, 120)),
        position=position,
        is_primary=primary,
    )


def test_staff_edit_saves_and_returns_to_the_filtered_list(staff_client, staff_user, product):
    back = "/products/?regency=35.09&status=draft"
    page = staff_client.get(f"/products/{product.code}/edit/", {"next": back})
    data = form_data(page)
    assert data["next"] == [back]
    data["name_en"] = ["Drum chair"]
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == back
    product.refresh_from_db()
    assert product.name_en == "Drum chair"
    assert product.updated_by == staff_user
    assert product.version == 2


def test_edit_reached_from_a_filtered_list_returns_to_that_list(staff_client, product):
    listed = "/products/?regency=35.09&sort=-price"
    assert staff_client.get(listed).status_code == 200
    staff_client.get(f"/products/{product.code}/")  # list → detail → edit, no ?next
    response = staff_client.post(
        f"/products/{product.code}/edit/", _edit_data(staff_client, product, name_en="Chair")
    )
    assert response["Location"] == listed


def test_edit_without_any_list_seen_returns_to_the_product_list(staff_client, product):
    response = staff_client.post(
        f"/products/{product.code}/edit/", _edit_data(staff_client, product, name_en="Chair")
    )
    assert response["Location"] == "/products/"


def test_status_change_in_the_form_is_recorded(staff_client, staff_user, product):
    data = _edit_data(staff_client, product, status="candidate", status_reason="Good finish")
    staff_client.post(f"/products/{product.code}/edit/", data)
    change = StatusChange.objects.get(product=product)
    assert (change.from_status, change.to_status) == ("draft", "candidate")
    assert change.changed_by == staff_user
    assert change.reason == "Good finish"


def test_saving_without_status_change_records_no_status_step(staff_client, product):
    staff_client.post(
        f"/products/{product.code}/edit/", _edit_data(staff_client, product, name_en="Chair")
    )
    assert not StatusChange.objects.filter(product=product).exists()


def test_second_save_from_a_stale_form_is_refused_with_a_conflict_message(
    client, staff_user, regency_user, product
):
    client.force_login(staff_user)
    first = _edit_data(client, product, name_id="Kursi drum bekas")
    client.force_login(regency_user)
    second = _edit_data(client, product, name_id="Kursi drum daur ulang")
    assert first["version"] == second["version"] == ["1"]

    client.force_login(staff_user)
    assert client.post(f"/products/{product.code}/edit/", first).status_code == 302
    client.force_login(regency_user)
    response = client.post(f"/products/{product.code}/edit/", second, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b'data-testid="form-error"' in response.content
    assert "Someone else saved this product" in response.content.decode()
    product.refresh_from_db()
    assert product.name_id == "Kursi drum bekas"
    assert product.version == 2


def test_food_product_without_shelf_life_is_not_saved(staff_client, make_product):
    food = make_product(category="makanan-olahan", name_id="Keripik tempe")
    data = _edit_data(staff_client, food, shelf_life_days="", name_id="Keripik tempe pedas")
    response = staff_client.post(f"/products/{food.code}/edit/", data)
    assert response.status_code == 200
    assert response["Content-Language"] == "id"
    assert "shelf_life_days" in response.context["form"].errors
    food.refresh_from_db()
    assert food.name_id == "Keripik tempe"
    assert food.shelf_life_days == 180


def test_unknown_hs_code_error_names_the_value(staff_client, product):
    data = _edit_data(staff_client, product, hs_code="9999")
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors["hs_code"]
    assert any("9999" in error for error in errors)
    product.refresh_from_db()
    assert product.hs_code_id is None


def test_dotted_hs_code_is_stored_as_six_digits(staff_client, product):
    data = _edit_data(staff_client, product, hs_code="9401.71")
    assert staff_client.post(f"/products/{product.code}/edit/", data).status_code == 302
    product.refresh_from_db()
    assert product.hs_code_id == "940171"


def test_several_jpeg_uploads_are_stored_with_thumbnails_and_one_primary(staff_client, product):
    data = _edit_data(staff_client, product)
    data["photos"] = [
        jpeg("kursi-pak-slamet.jpg", seed=1),
        jpeg("b.jpg", seed=2),
        jpeg("c.jpg", seed=3),
    ]
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 302
    photos = list(product.photos.order_by("position"))
    assert len(photos) == 3
    assert [p.position for p in photos] == [0, 1, 2]
    assert sum(p.is_primary for p in photos) == 1
    assert photos[0].is_primary
    for photo in photos:
        assert photo.thumbnail
        assert photo.thumbnail.storage.exists(photo.thumbnail.name)
        assert photo.image.storage.exists(photo.image.name)
        # Random file names: the uploader's name does not survive.
        assert "slamet" not in photo.image.name


def test_text_file_named_jpg_is_refused_and_the_other_input_is_kept(staff_client, product):
    data = _edit_data(staff_client, product, name_id="Kursi drum warna-warni")
    data["photos"] = [text_file_named_jpeg()]
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 200
    errors = response.context["upload_form"].errors["photos"]
    assert any("not-a-photo.jpg" in error for error in errors)
    assert 'value="Kursi drum warna-warni"' in response.content.decode()
    product.refresh_from_db()
    assert product.name_id == "Kursi drum"
    assert not product.photos.exists()


def test_photos_can_be_reordered_and_the_primary_changed(staff_client, product):
    first = _photo(product, 1, 0, primary=True)
    second = _photo(product, 2, 1)
    data = _edit_data(staff_client, product)
    index = {pk: i for i, pk in enumerate(data["photos-0-id"] + data["photos-1-id"])}
    data[f"photos-{index[str(first.pk)]}-position"] = ["5"]
    data[f"photos-{index[str(second.pk)]}-position"] = ["0"]
    data["primary"] = [str(second.pk)]
    assert staff_client.post(f"/products/{product.code}/edit/", data).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.position, first.is_primary) == (5, False)
    assert (second.position, second.is_primary) == (0, True)


def test_deleting_the_primary_photo_makes_another_primary(staff_client, product):
    first = _photo(product, 1, 0, primary=True)
    second = _photo(product, 2, 1)
    data = _edit_data(staff_client, product)
    index = 0 if data["photos-0-id"] == [str(first.pk)] else 1
    data[f"photos-{index}-DELETE"] = ["on"]
    assert staff_client.post(f"/products/{product.code}/edit/", data).status_code == 302
    assert list(product.photos.all()) == [second]
    second.refresh_from_db()
    assert second.is_primary


def test_certification_expiring_before_issue_is_refused(staff_client, product):
    data = _edit_data(
        staff_client,
        product,
        **{
            "certs-0-kind": "svlk",
            "certs-0-number": "VL-001",
            "certs-0-issued_on": "2025-06-01",
            "certs-0-expires_on": "2025-01-01",
        },
    )
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 200
    assert response.context["cert_formset"].errors[0]
    assert not Certification.objects.filter(product=product).exists()


def test_certification_added_inline_is_saved(staff_client, staff_user, product):
    data = _edit_data(
        staff_client,
        product,
        **{
            "certs-0-kind": "svlk",
            "certs-0-number": "VL-002",
            "certs-0-issued_on": "2025-01-01",
            "certs-0-expires_on": "2027-01-01",
        },
    )
    assert staff_client.post(f"/products/{product.code}/edit/", data).status_code == 302
    cert = Certification.objects.get(product=product)
    assert cert.number == "VL-002"
    assert cert.expires_on == datetime.date(2027, 1, 1)
    assert cert.created_by == staff_user


def _new_product_data(client, producer, category_slug="kerajinan-kayu", **fields):
    from catalogue.models import Category

    data = form_data(client.get("/products/new/"))
    data["producer"] = [str(producer.pk)]
    data["category"] = [str(Category.objects.get(slug=category_slug).pk)]
    data["name_id"] = ["Kursi drum baru"]
    for name, value in fields.items():
        data[name] = [value]
    return data


def test_new_product_gets_the_next_code_of_its_regency(staff_client, make_producer):
    producer = make_producer("35.09")
    response = staff_client.post("/products/new/", _new_product_data(staff_client, producer))
    assert response.status_code == 302
    product = Product.objects.get()
    assert product.code == "JBR-0001"
    assert response["Location"] == "/products/JBR-0001/"
    assert product.version == 1
    assert StatusChange.objects.filter(product=product, from_status="", to_status="draft").exists()

    staff_client.post("/products/new/", _new_product_data(staff_client, producer))
    assert set(Product.objects.values_list("code", flat=True)) == {"JBR-0001", "JBR-0002"}


def test_regency_staff_cannot_create_a_product_for_another_regency(
    client, regency_user, make_producer
):
    client.force_login(regency_user)
    banyuwangi_producer = make_producer("35.10")
    jember_producer = make_producer("35.09", name="Drum Pakusari")
    page = client.get("/products/new/")
    assert banyuwangi_producer not in page.context["form"].fields["producer"].queryset
    html = page.content.decode()  # the options offered match what the form accepts
    label = f"{jember_producer.code} · Drum Pakusari (Kabupaten Jember)"
    assert f'<option value="{jember_producer.pk}">{label}</option>' in html
    assert f"{banyuwangi_producer.code} · " not in html
    response = client.post("/products/new/", _new_product_data(client, banyuwangi_producer))
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors
    assert not Product.objects.exists()


def test_regency_staff_creates_a_product_for_their_own_regency(client, regency_user, make_producer):
    client.force_login(regency_user)
    producer = make_producer("35.09")
    response = client.post("/products/new/", _new_product_data(client, producer))
    assert response.status_code == 302
    assert Product.objects.get().producer == producer


def test_new_product_form_preselects_the_producer_from_the_query(staff_client, make_producer):
    producer = make_producer("35.09")
    data = form_data(staff_client.get("/products/new/", {"producer": producer.code}))
    assert data["producer"] == [str(producer.pk)]


@pytest.mark.parametrize(
    "target", ["https://evil.example.com/", "//evil.example.com/products/", "http://evil/x"]
)
def test_next_pointing_to_another_host_is_ignored(staff_client, product, target):
    data = _edit_data(staff_client, product, name_en="Chair")
    data["next"] = [target]
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 302
    assert response["Location"] == "/products/"


def test_edit_page_for_get_shows_the_current_values(staff_client, product):
    data = form_data(staff_client.get(f"/products/{product.code}/edit/"))
    assert data["name_id"] == ["Kursi drum"]
    assert data["price_idr"] == ["850000"]
    assert data["version"] == ["1"]


def test_form_opened_before_a_bulk_status_change_is_refused(staff_client, product):
    stale = _edit_data(staff_client, product, name_en="Drum chair")
    staff_client.post(
        "/products/bulk/", {"action": "status", "status": "candidate", "selected": product.code}
    )
    product.refresh_from_db()
    assert product.status == "candidate"
    response = staff_client.post(f"/products/{product.code}/edit/", stale)
    assert response.status_code == 200
    product.refresh_from_db()
    assert product.status == "candidate"


def test_shortlisting_with_open_gaps_asks_for_confirmation(staff_client, product):
    assert product.readiness_gaps  # the fixture product lacks several things
    data = _edit_data(staff_client, product, status="shortlisted", photos=[jpeg()])
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["confirm_gaps"]
    product.refresh_from_db()
    assert product.status == "draft" and product.version == 1
    assert not StatusChange.objects.filter(product=product).exists()
    assert not product.photos.exists()  # the upload was rolled back with the rest


def test_confirmed_shortlisting_records_the_overridden_gaps(staff_client, staff_user, product):
    data = _edit_data(staff_client, product, status="shortlisted", confirm_gaps="on")
    response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 302
    product.refresh_from_db()
    step = StatusChange.objects.get(product=product, to_status="shortlisted")
    assert step.changed_by == staff_user
    assert step.overrode_gaps == product.readiness_gaps != []


def test_new_product_created_as_shortlisted_without_confirmation_is_not_saved(
    staff_client, make_producer
):
    producer = make_producer()
    page = staff_client.get("/products/new/")
    data = form_data(page)
    data.update(
        {
            "producer": [str(producer.pk)],
            "category": [str(Category.objects.get(slug="kerajinan-kayu").pk)],
            "name_id": ["Ukiran baru"],
            "status": ["shortlisted"],
        }
    )
    response = staff_client.post("/products/new/", data)
    assert response.status_code == 200
    assert not Product.objects.filter(name_id="Ukiran baru").exists()
    assert "/products/new/" in response.request["PATH_INFO"]


@pytest.mark.parametrize(
    "name, content",
    [
        ("cert.txt", b"just text\n"),
        ("evil.html", b"<script>alert(1)</script>"),
        ("fake.pdf", b"<html>not a pdf</html>"),
        ("scan.jpg", b"just text pretending to be a scan"),
    ],
)
def test_a_certificate_document_must_be_a_pdf_or_a_scan(staff_client, product, name, content):
    data = _edit_data(
        staff_client,
        product,
        **{"certs-0-kind": "halal", "certs-0-number": "ID-1", "name_en": "Drum chair"},
    )
    data["certs-0-document"] = SimpleUploadedFile(name, content)
    response = staff_client.post(f"/products/{product.code}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["cert_formset"].errors[0]["document"] == [
        "Upload the certificate as a PDF file, or as a JPEG, PNG or WebP scan or photo."
    ]
    product.refresh_from_db()
    assert product.name_en != "Drum chair"  # nothing of the form was stored
    assert not Certification.objects.filter(product=product).exists()


@pytest.mark.parametrize(
    "name, content",
    [("halal.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"), ("scan.jpg", None)],
)
def test_a_pdf_or_a_scan_is_accepted_as_certificate(staff_client, product, name, content):
    upload = jpeg(name) if content is None else SimpleUploadedFile(name, content)
    data = _edit_data(staff_client, product, **{"certs-0-kind": "halal", "certs-0-number": "I"})
    data["certs-0-document"] = upload
    assert staff_client.post(f"/products/{product.code}/edit/", data).status_code == 302
    assert Certification.objects.get(product=product).document.name.endswith(name[-4:])


def test_regency_staff_are_told_why_another_regencys_product_is_refused(
    client, regency_user, make_producer, make_product
):
    product = make_product(producer=make_producer("35.11"))  # Bondowoso
    client.force_login(regency_user)
    response = client.get(f"/products/{product.code}/edit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    yours = ", ".join(r.short_name for r in regency_user.regencies.order_by("code"))
    assert (
        f"{product.code} belongs to Bondowoso; your account keeps the producers and products "
        f"of {yours} only."
    ) in response.content.decode()


@pytest.mark.parametrize(
    "field, value, limit",
    [
        ("price_idr", "850000000000", "100000000000"),
        ("moq", "9999999999999", "10000000"),
        ("lead_time_days", "3650", "730"),
    ],
)
def test_implausible_numbers_are_refused_with_their_limit(
    staff_client, product, field, value, limit
):
    data = _edit_data(staff_client, product, **{field: value, "name_en": "Drum chair"})
    response = staff_client.post(f"/products/{product.code}/edit/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [f"At most {limit}; check the number."]
    product.refresh_from_db()
    assert product.price_idr == 850_000 and product.name_en != "Drum chair"


def test_saving_photos_and_certificates_recomputes_readiness_once(
    staff_client, product, monkeypatch
):
    from catalogue import services

    data = _edit_data(staff_client, product, name_en="Drum chair")
    data["photos"] = [jpeg("a.jpg", seed=1), jpeg("b.jpg", seed=2), jpeg("c.jpg", seed=3)]
    data["certs-TOTAL_FORMS"] = ["2"]
    for i, (kind, number) in enumerate([("svlk", "VL-1"), ("halal", "ID-2")]):
        data[f"certs-{i}-kind"] = [kind]
        data[f"certs-{i}-number"] = [number]
        data[f"certs-{i}-issued_on"] = ["2025-01-01"]
        data[f"certs-{i}-expires_on"] = ["2099-01-01"]
    calls = []
    assess = services.assess
    monkeypatch.setattr(services, "assess", lambda *a, **k: calls.append(a) or assess(*a, **k))
    assert staff_client.post(f"/products/{product.code}/edit/", data).status_code == 302
    assert len(calls) == 1
    product.refresh_from_db()
    assert (product.photos.count(), product.certifications.count()) == (3, 2)
    assert "photos" not in product.readiness_gaps
    monkeypatch.setattr(services, "assess", assess)
    fresh = services.refresh_readiness(Product.objects.get(pk=product.pk))
    assert (product.readiness_score, product.readiness_gaps) == (fresh.score, fresh.gaps)


def test_photos_and_certificates_saved_elsewhere_still_refresh_readiness(product):
    before = product.readiness_score
    for seed in (1, 2):
        _photo(product, seed=seed, position=seed)
    product.refresh_from_db()
    assert "photos" not in product.readiness_gaps
    assert product.readiness_score > before
    cert = Certification.objects.create(product=product, kind="svlk", number="VL-9")
    cert.delete()
    product.refresh_from_db()
    assert "photos" not in product.readiness_gaps
