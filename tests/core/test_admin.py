"""The Django admin: every model reachable, edits stamped, status changes logged."""

import datetime
from decimal import Decimal

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms import MultiWidget
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import (
    Category,
    Certification,
    ExportRecord,
    ImportBatch,
    Producer,
    Product,
    ProductPhoto,
    StatusChange,
    Tag,
)
from catalogue.product_writes import change_status
from core.jobs import runner
from home.drawing import draw_product_photo
from regions.models import District
from showroom.collection_writes import add_products, create_link, save_collection, set_exchange_rate
from showroom.models import Collection
from visits.models import FollowUp, Visit, VisitNote, VisitNotePhoto, VisitStop

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _photo(title, seed=0):
    return draw_product_photo(title, seed=seed, size=(320, 240))


def _make_records(make_product, staff_user, visitor_user, number=1):
    """One of everything, so that list columns and inlines render real rows."""
    product = make_product(name_id=f"Kursi drum {number}", name_en="Drum chair", price_idr=850_000)
    ProductPhoto.objects.create(product=product, image=_photo("Kursi drum"), is_primary=True)
    Certification.objects.create(product=product, kind="svlk", number=f"VL-00{number}")
    product.tags.add(Tag.objects.create(slug=f"recycled-{number}", name=f"Recycled {number}"))
    change_status(product, "candidate", user=staff_user)
    today = datetime.date(2025, 5, 12)
    visit = Visit.objects.create(title=f"TEC visit {number}", start_date=today, end_date=today)
    stop = VisitStop.objects.create(visit=visit, producer=product.producer, position=1)
    note = VisitNote.objects.create(
        visit=visit,
        stop=stop,
        producer=product.producer,
        product=product,
        author=visitor_user,
        text="Good finish; asks for samples.",
        interest=4,
        requested=["samples"],
    )
    VisitNotePhoto.objects.create(note=note, image=_photo("Note"))
    FollowUp.objects.create(
        note=note, producer=product.producer, product=product, kind="samples", owner=staff_user
    )
    ExportRecord.objects.create(
        user=staff_user, format="csv", row_count=1, fingerprints={product.code: "abc"}
    )
    ImportBatch.objects.create(user=staff_user, file="imports/x.csv", original_name="x.csv")
    # Login throttling (django-axes): a lockout, a login and a failed login.
    login = {"username": f"visitor{number}", "ip_address": "10.0.0.1", "user_agent": "Firefox"}
    AccessAttempt.objects.create(**login, failures_since_start=5, get_data="", post_data="")
    AccessLog.objects.create(**login)
    AccessFailureLog.objects.create(**login, locked_out=True)
    # Showroom: a collection holding the product, a share link and an exchange rate.
    collection = save_collection(Collection(name_id=f"TEC Shanghai {number}"), staff_user)
    add_products(collection, [product], staff_user)
    create_link(collection, staff_user, label="Ningbo importers")
    set_exchange_rate(Decimal("2250"), today, staff_user)
    # A background job queued on the database backend: the job and its task row.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        runner.start("import_analysis", staff_user, subject="0")
    return product


@pytest.fixture
def records(make_product, staff_user, visitor_user):
    return _make_records(make_product, staff_user, visitor_user)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _form_data(response):
    """The POST data that saves a change page unchanged (main form and every inline)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or isinstance(value, File):
                continue  # an unchanged file input posts nothing
            if isinstance(field.field.widget, MultiWidget):  # split date and time
                for index, part in enumerate(field.field.widget.decompress(value)):
                    data[f"{field.html_name}_{index}"] = part
                continue
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
                continue
            data[field.html_name] = value
    return data


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_pages_open_for_every_model(admin_client, records, model):
    model_admin = admin.site._registry[model]

    assert admin_client.get(_url(model, "changelist")).status_code == 200

    add = admin_client.get(_url(model, "add"))
    # Logs that only the application writes (the status log) are view-only.
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)

    obj = model._default_manager.first()
    assert obj is not None, f"the records fixture should create a {model._meta.label}"
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200


def test_status_log_cannot_be_written_by_hand(admin_client, records):
    entry = StatusChange.objects.get(product=records)

    assert admin_client.get(_url(StatusChange, "add")).status_code == 403
    response = admin_client.post(_url(StatusChange, "change", entry.pk), {"to_status": "draft"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.to_status == "candidate"


def test_product_change_page_shows_photos_with_thumbnails(admin_client, records):
    photo = records.photos.get()

    response = admin_client.get(_url(Product, "change", records.pk))

    assert response.status_code == 200
    assert 'name="photos-TOTAL_FORMS"' in response.text
    assert f'src="{photo.thumbnail.url}"' in response.text
    assert "VL-001" in response.text  # certification inline
    assert "status_changes-TOTAL_FORMS" in response.text  # status log inline


def test_product_history_page_opens(admin_client, records):
    response = admin_client.get(_url(Product, "history", records.pk))

    assert response.status_code == 200


def test_product_changelist_search(admin_client, make_product, make_producer):
    drum = make_product(name_id="Kursi drum bekas")
    cigar = make_product(
        name_id="Cerutu Besuki", producer=make_producer(name="Koperasi Tembakau Jember")
    )

    by_name = admin_client.get(_url(Product, "changelist"), {"q": "drum"})
    by_producer = admin_client.get(_url(Product, "changelist"), {"q": "tembakau"})

    assert list(by_name.context["cl"].result_list) == [drum]
    assert list(by_producer.context["cl"].result_list) == [cigar]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_rows(
    admin_client, make_product, staff_user, visitor_user, model
):
    _make_records(make_product, staff_user, visitor_user, number=1)
    with CaptureQueriesContext(connection) as one_set:
        admin_client.get(_url(model, "changelist"))
    for number in (2, 3):
        _make_records(make_product, staff_user, visitor_user, number=number)
    with CaptureQueriesContext(connection) as three_sets:
        admin_client.get(_url(model, "changelist"))

    assert len(three_sets) == len(one_set), [q["sql"] for q in three_sets]


def test_saving_product_with_new_status_stamps_and_logs_once(admin_client, admin_user, records):
    page = admin_client.get(_url(Product, "change", records.pk))
    data = _form_data(page)
    data.update(status="shortlisted", status_reason="Chosen for the TEC catalogue")
    versions = records.history.count()
    version = records.version

    response = admin_client.post(_url(Product, "change", records.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    records.refresh_from_db()
    assert records.status == "shortlisted"
    assert records.updated_by == admin_user
    assert records.version == version + 1
    step = records.status_changes.latest("changed_at")
    assert (step.from_status, step.to_status) == ("candidate", "shortlisted")
    assert step.reason == "Chosen for the TEC catalogue"
    assert step.changed_by == admin_user
    assert records.status_changes.count() == 2
    assert records.history.count() == versions + 1  # saved once, not twice
    assert records.history.first().history_user == admin_user


def test_not_suitable_reason_goes_into_the_status_log(admin_client, records):
    data = _form_data(admin_client.get(_url(Product, "change", records.pk)))
    data.update(status="not_suitable", not_suitable_reason="No export licence possible")

    response = admin_client.post(_url(Product, "change", records.pk), data)

    assert response.status_code == 302
    step = records.status_changes.latest("changed_at")
    assert step.to_status == "not_suitable"
    assert step.reason == "No export licence possible"


def test_saving_product_without_status_change_logs_nothing(admin_client, admin_user, records):
    data = _form_data(admin_client.get(_url(Product, "change", records.pk)))
    data["name_zh"] = "鼓椅"

    response = admin_client.post(_url(Product, "change", records.pk), data)

    assert response.status_code == 302
    records.refresh_from_db()
    assert records.name_zh == "鼓椅"
    assert records.updated_by == admin_user
    assert records.status_changes.count() == 1


def test_photo_added_in_the_product_inline_is_stamped(admin_client, admin_user, records):
    data = _form_data(admin_client.get(_url(Product, "change", records.pk)))
    data.update(
        {
            "photos-TOTAL_FORMS": "2",
            "photos-1-image": SimpleUploadedFile(
                "side.jpg", _photo("Side", seed=2).read(), content_type="image/jpeg"
            ),
            "photos-1-caption": "Side view",
            "photos-1-position": "1",
        }
    )

    response = admin_client.post(_url(Product, "change", records.pk), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    added = records.photos.get(caption="Side view")
    assert added.uploaded_by == admin_user
    assert added.thumbnail


def test_new_product_gets_a_code_and_creator(admin_client, admin_user, make_producer):
    producer = make_producer()
    data = _form_data(admin_client.get(_url(Product, "add")))
    data.update(
        producer=producer.pk,
        category=Category.objects.get(slug="kerajinan-kayu").pk,
        name_id="Meja jati",
        unit="pcs",
    )

    response = admin_client.post(_url(Product, "add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    product = Product.objects.get(name_id="Meja jati")
    assert product.code.startswith("JBR-")
    assert product.created_by == admin_user == product.updated_by
    first = product.status_changes.get()
    assert (first.from_status, first.to_status, first.changed_by) == ("", "draft", admin_user)


def test_producer_district_must_lie_in_its_regency(admin_client, jember):
    outside = District.objects.exclude(regency=jember).first()
    data = _form_data(admin_client.get(_url(Producer, "add")))
    data.update(name="UD Salah Alamat", kind="sme", regency=jember.pk, district=outside.pk)

    response = admin_client.post(_url(Producer, "add"), data)

    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    assert not Producer.objects.filter(name="UD Salah Alamat").exists()


def test_follow_up_closed_in_admin_records_who_closed_it(admin_client, admin_user, records):
    follow_up = FollowUp.objects.get()
    data = _form_data(admin_client.get(_url(FollowUp, "change", follow_up.pk)))
    data["status"] = "done"

    response = admin_client.post(_url(FollowUp, "change", follow_up.pk), data)

    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.closed_by == admin_user
    assert follow_up.closed_at is not None
    assert follow_up.updated_by == admin_user


def test_follow_up_added_on_a_note_defaults_to_the_notes_producer(
    admin_client, admin_user, records
):
    note = VisitNote.objects.get()
    data = _form_data(admin_client.get(_url(VisitNote, "change", note.pk)))
    data.update(
        {
            "follow_ups-TOTAL_FORMS": "2",
            "follow_ups-1-kind": "price_quote",
            "follow_ups-1-status": "open",
        }
    )

    response = admin_client.post(_url(VisitNote, "change", note.pk), data)

    assert response.status_code == 302
    added = note.follow_ups.get(kind="price_quote")
    assert added.producer == note.producer
    assert added.created_by == admin_user
    note.refresh_from_db()
    assert note.requested == ["samples"]


def test_admin_titles(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en")

    assert "Etalase — Bakorwil V Jember" in response.text


def test_user_without_staff_flag_is_sent_away_from_admin(client, staff_user):
    client.force_login(staff_user)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_user_is_sent_to_a_login_page(client):
    response = client.get(reverse("admin:catalogue_product_changelist"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_hs_code_autocomplete_offers_only_subheadings(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "catalogue",
            "model_name": "product",
            "field_name": "hs_code",
            "term": "2402",
        },
    )

    assert response.status_code == 200
    codes = [row["id"] for row in response.json()["results"]]
    assert "240210" in codes
    assert all(len(code) == 6 for code in codes)
