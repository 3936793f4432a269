"""Every writer of products and producers goes through one write path.

The edit page, the bulk action, the spreadsheet import and the Django admin all write a
product through ``catalogue.product_writes``: the same status-log row, change-log entry,
version bump and one readiness computation. Products and producers share one optimistic
lock (``core.locking``).
"""

import pytest
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue import product_writes, services
from catalogue.forms import ProducerForm, ProductForm
from catalogue.models import Producer, Product, StatusChange
from catalogue.producer_writes import save_producer
from catalogue.product_writes import change_status, gaps_to_confirm, passes_gate, save_product
from core.locking import OptimisticLockForm
from core.models import VersionedModel
from tests.catalogue.spreadsheets.test_import import KEYS, export_rows, upload, xlsx_bytes
from tests.catalogue.test_product_edit import form_data
from tests.core.test_admin import _form_data as admin_form_data
from tests.core.test_admin import _photo, _url

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def product(make_product):
    return make_product(category="kerajinan-kayu", name_id="Kursi jati", price_idr=850_000)


class Recomputations:
    """Counts readiness computations: one product at a time, or many at once."""

    def __init__(self, monkeypatch):
        self.products = 0
        refresh, many = services.refresh_readiness, product_writes.readiness_of

        def refresh_spy(product):
            self.products += 1
            return refresh(product)

        def many_spy(products):
            self.products += len(products)
            return many(products)

        monkeypatch.setattr(services, "refresh_readiness", refresh_spy)
        monkeypatch.setattr(product_writes, "readiness_of", many_spy)


def _spy_status_steps(monkeypatch):
    built = []
    real = product_writes.status_step

    def spy(*args, **kwargs):
        step = real(*args, **kwargs)
        built.append(step)
        return step

    monkeypatch.setattr(product_writes, "status_step", spy)
    return built


# --- the four writers, each shortlisting one product past its readiness gaps -------------


def _by_form(client, staff_user, admin_user, product, start):
    client.force_login(staff_user)
    data = form_data(client.get(f"/products/{product.code}/edit/"))
    data.update(status=["shortlisted"], status_reason=["TEC"], confirm_gaps=["on"])
    start()
    assert client.post(f"/products/{product.code}/edit/", data).status_code == 302
    return staff_user, "TEC"


def _by_bulk(client, staff_user, admin_user, product, start):
    client.force_login(staff_user)
    data = {
        "action": "status",
        "status": "shortlisted",
        "reason": "TEC",
        "confirm_gaps": "1",
        "selected": [product.code],
    }
    start()
    assert client.post("/products/bulk/", data).status_code == 302
    return staff_user, "TEC"


def _by_import(client, staff_user, admin_user, product, start):
    from catalogue.models import ImportBatch

    client.force_login(staff_user)
    rows = export_rows([product])
    rows[1][KEYS.index("status")] = "shortlisted"
    upload(client, xlsx_bytes(rows))
    batch = ImportBatch.objects.get()
    start()
    response = client.post(f"/products/import/{batch.pk}/", {"action": "confirm"})
    assert response.status_code == 302
    return staff_user, ""  # a spreadsheet row gives no reason for the step


def _by_admin(client, staff_user, admin_user, product, start):
    client.force_login(admin_user)
    data = admin_form_data(client.get(_url(Product, "change", product.pk)))
    data.update(status="shortlisted", status_reason="TEC")
    start()
    response = client.post(_url(Product, "change", product.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return admin_user, "TEC"


WRITERS = {"form": _by_form, "bulk": _by_bulk, "import": _by_import, "admin": _by_admin}


@pytest.mark.parametrize("writer", WRITERS.values(), ids=WRITERS.keys())
def test_every_writer_records_the_same_step_change_log_and_readiness_once(
    client, staff_user, admin_user, product, monkeypatch, writer
):
    before = Product.objects.get(pk=product.pk)
    history_before = product.history.count()
    spies = {}

    def start():  # from here on, only the write itself
        spies["steps"] = _spy_status_steps(monkeypatch)
        spies["readiness"] = Recomputations(monkeypatch)

    user, reason = writer(client, staff_user, admin_user, product, start)

    product.refresh_from_db()
    assert spies["steps"] and len(spies["steps"]) == 1  # built by the write path
    assert spies["readiness"].products == 1  # recomputed once
    step = StatusChange.objects.get(product=product)
    assert (step.from_status, step.to_status, step.changed_by, step.reason) == (
        "draft",
        "shortlisted",
        user,
        reason,
    )
    assert step.overrode_gaps and step.overrode_gaps == product.readiness_gaps
    assert step.changed_at >= before.updated_at
    assert product.history.count() == history_before + 1
    entry = product.history.order_by("-history_date", "-history_id").first()
    assert (entry.history_type, entry.status, entry.history_user) == ("~", "shortlisted", user)
    assert product.version == before.version + 1
    assert product.updated_by == user and product.updated_at > before.updated_at
    fresh = services.refresh_readiness(Product.objects.get(pk=product.pk))
    assert (product.readiness_score, product.readiness_gaps) == (fresh.score, fresh.gaps)


def test_change_status_by_code_goes_through_the_same_path(product, staff_user, monkeypatch):
    steps = _spy_status_steps(monkeypatch)
    recomputed = Recomputations(monkeypatch)
    step = change_status(product, "shortlisted", user=staff_user)
    assert steps == [step] and recomputed.products == 1
    product.refresh_from_db()
    assert step.overrode_gaps == product.readiness_gaps != []
    assert product.version == 2


# --- the admin --------------------------------------------------------------------------


def _add_inlines(data, photos=3, certifications=2):
    total = int(data["photos-TOTAL_FORMS"])
    for offset in range(photos):
        n = total + offset
        upload = SimpleUploadedFile(
            f"side-{n}.jpg", _photo("Side", seed=n).read(), content_type="image/jpeg"
        )
        data.update({f"photos-{n}-image": upload, f"photos-{n}-position": str(n)})
    data["photos-TOTAL_FORMS"] = str(total + photos)
    total = int(data["certifications-TOTAL_FORMS"])
    for offset, kind in enumerate(["halal", "svlk", "bpom_md"][:certifications]):
        n = total + offset
        data.update({f"certifications-{n}-kind": kind, f"certifications-{n}-number": f"N-{n}"})
    data["certifications-TOTAL_FORMS"] = str(total + certifications)
    return data


def test_admin_save_with_three_photos_and_two_certifications_recomputes_readiness_once(
    admin_client, product, monkeypatch
):
    data = _add_inlines(admin_form_data(admin_client.get(_url(Product, "change", product.pk))))
    calls = []
    assess = services.assess
    monkeypatch.setattr(services, "assess", lambda *a, **k: calls.append(a) or assess(*a, **k))
    recomputed = Recomputations(monkeypatch)

    response = admin_client.post(_url(Product, "change", product.pk), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert len(calls) == 1 and recomputed.products == 1  # was 6: once per row saved, + 1
    product.refresh_from_db()
    assert (product.photos.count(), product.certifications.count()) == (3, 2)
    assert "photos" not in product.readiness_gaps
    assert product.photos.filter(uploaded_by__isnull=False).count() == 3
    monkeypatch.setattr(services, "assess", assess)
    fresh = services.refresh_readiness(Product.objects.get(pk=product.pk))
    assert (product.readiness_score, product.readiness_gaps) == (fresh.score, fresh.gaps)


@pytest.mark.parametrize("photos, certifications", [(1, 1), (3, 2)])
def test_admin_save_reads_readiness_inputs_once_however_many_inline_rows(
    admin_client, product, photos, certifications
):
    page = admin_client.get(_url(Product, "change", product.pk))
    data = _add_inlines(admin_form_data(page), photos, certifications)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.post(_url(Product, "change", product.pk), data)
    assert response.status_code == 302
    photo_counts = [
        q["sql"] for q in queries if "COUNT" in q["sql"] and "catalogue_productphoto" in q["sql"]
    ]
    assert len(photo_counts) == 1, photo_counts  # was once per row saved, and once more


def test_admin_moving_past_the_gate_records_and_names_the_gaps(admin_client, admin_user, product):
    data = admin_form_data(admin_client.get(_url(Product, "change", product.pk)))
    data["status"] = "promoted"
    response = admin_client.post(_url(Product, "change", product.pk), data, follow=True, **EN)
    product.refresh_from_db()
    step = product.status_changes.get()
    assert (step.to_status, step.changed_by) == ("promoted", admin_user)
    assert step.overrode_gaps == product.readiness_gaps != []
    warnings = [m.message for m in response.context["messages"] if m.level == constants.WARNING]
    assert len(warnings) == 1
    assert warnings[0].startswith("Moved on despite open readiness gaps: ")


# --- one optimistic lock for both models ------------------------------------------------


def _product_form(client, record):
    return f"/products/{record.code}/edit/", form_data(client.get(f"/products/{record.code}/edit/"))


def _producer_form(client, record):
    url = f"/producers/{record.code}/edit/"
    return url, form_data(client.get(url), must_have="version")


def _product_admin(client, record):
    url = _url(Product, "change", record.pk)
    return url, admin_form_data(client.get(url))


def _producer_admin(client, record):
    url = _url(Producer, "change", record.pk)
    return url, admin_form_data(client.get(url))


EDIT_FORMS = {
    "product-page": (Product, "name_id", _product_form),
    "producer-page": (Producer, "name", _producer_form),
    "product-admin": (Product, "name_id", _product_admin),
    "producer-admin": (Producer, "name", _producer_admin),
}


def _stale_save_by_someone_else(record, staff_user):
    if isinstance(record, Product):
        save_product(record, staff_user)
    else:
        save_producer(record, staff_user)


@pytest.mark.parametrize("model, name_field, open_form", EDIT_FORMS.values(), ids=EDIT_FORMS)
def test_a_stale_edit_form_is_refused_the_same_way_for_both_models(
    client, admin_user, staff_user, product, model, name_field, open_form
):
    record = product if model is Product else product.producer
    client.force_login(admin_user)
    url, data = open_form(client, record)
    assert data["version"] in (["1"], "1", 1)
    other = model.objects.get(pk=record.pk)
    setattr(other, name_field, "Saved by someone else")
    _stale_save_by_someone_else(other, staff_user)
    data[name_field] = "Typed in the stale form"

    response = client.post(url, data, **EN)

    assert response.status_code == 200
    page = response.content.decode()
    noun = model._meta.verbose_name
    assert (
        f"Someone else saved this {noun} (version 2) after you opened it. Your changes were "
        f"not saved: open the {noun} again to see theirs."
    ) in page
    assert "Typed in the stale form" in page  # what they typed is still in the form
    stored = model.objects.get(pk=record.pk)
    assert (getattr(stored, name_field), stored.version) == ("Saved by someone else", 2)


@pytest.mark.parametrize("model, name_field, open_form", EDIT_FORMS.values(), ids=EDIT_FORMS)
def test_a_save_from_a_current_form_bumps_the_version_by_one(
    client, admin_user, product, model, name_field, open_form
):
    record = product if model is Product else product.producer
    client.force_login(admin_user)
    url, data = open_form(client, record)
    data[name_field] = "Nama baru"
    assert client.post(url, data).status_code == 302
    stored = model.objects.get(pk=record.pk)
    assert (getattr(stored, name_field), stored.version) == ("Nama baru", record.version + 1)
    assert stored.updated_by == admin_user


def test_both_models_and_their_forms_share_the_lock_scheme():
    assert issubclass(Product, VersionedModel) and issubclass(Producer, VersionedModel)
    assert Product._meta.get_field("version").default == Producer._meta.get_field("version").default
    assert issubclass(ProductForm, OptimisticLockForm) and issubclass(
        ProducerForm, OptimisticLockForm
    )
    from catalogue.admin import ProducerAdminForm, ProductAdminForm

    assert issubclass(ProductAdminForm, OptimisticLockForm)
    assert issubclass(ProducerAdminForm, OptimisticLockForm)


def test_producer_form_that_lost_its_version_is_refused(client, staff_user, make_producer):
    producer = make_producer()
    client.force_login(staff_user)
    url, data = _producer_form(client, producer)
    data.pop("version")
    data["name"] = "Tanpa versi"
    response = client.post(url, data, **EN)
    assert response.status_code == 200
    assert "Someone else saved this producer" in response.content.decode()
    assert Producer.objects.get(pk=producer.pk).name != "Tanpa versi"


def test_a_bulk_tag_change_bumps_the_version_so_an_older_form_cannot_undo_it(
    client, staff_user, product
):
    client.force_login(staff_user)
    url, data = _product_form(client, product)
    client.post(
        "/products/bulk/", {"action": "add_tag", "tag": "Pameran", "selected": [product.code]}
    )
    product.refresh_from_db()
    assert product.version == 2 and product.updated_by == staff_user

    response = client.post(url, data, **EN)  # its tag boxes do not have the new tag

    assert response.status_code == 200
    assert "Someone else saved this product (version 2)" in response.content.decode()
    assert list(product.tags.values_list("name", flat=True)) == ["Pameran"]


# --- the readiness gate, expressed once -------------------------------------------------


@pytest.mark.parametrize(
    "from_status, to_status, gated",
    [
        ("draft", "candidate", False),
        ("candidate", "shortlisted", True),
        ("", "promoted", True),
        ("shortlisted", "promoted", True),
        ("shortlisted", "shortlisted", False),
        ("promoted", "buyer_interest", False),
        ("promoted", "not_suitable", False),
    ],
)
def test_the_gate_is_one_rule(from_status, to_status, gated):
    assert passes_gate(from_status, to_status) is gated
    assert gaps_to_confirm(from_status, to_status, ["photos"]) == (["photos"] if gated else [])
    assert gaps_to_confirm(from_status, to_status, []) == []


def test_bulk_gate_counts_the_products_with_gaps_open(client, staff_user, make_product):
    gapped = [make_product(category="cerutu") for _ in range(2)]
    complete = make_product(category="cerutu")
    Product.objects.filter(pk__in=[p.pk for p in gapped]).update(
        readiness_score=100, readiness_gaps=["hs_code"]
    )
    Product.objects.filter(pk=complete.pk).update(readiness_score=50, readiness_gaps=[])
    client.force_login(staff_user)
    codes = [p.code for p in [*gapped, complete]]
    response = client.post(
        "/products/bulk/",
        {"action": "status", "status": "shortlisted", "selected": codes},
        follow=True,
        **EN,
    )
    messages = [(m.level, m.message) for m in response.context["messages"]]
    assert messages == [
        (
            constants.ERROR,
            "2 of these products still have open readiness gaps. Tick “move on despite "
            "open gaps” to shortlist or promote them anyway.",
        )
    ]
    assert set(Product.objects.values_list("status", flat=True)) == {"draft"}


# --- model rules in one place -----------------------------------------------------------


def test_not_suitable_in_the_form_needs_a_reason_which_the_step_records(
    client, staff_user, product
):
    client.force_login(staff_user)
    data = form_data(client.get(f"/products/{product.code}/edit/"))
    data.update(status=["not_suitable"], not_suitable_reason=[""])
    response = client.post(f"/products/{product.code}/edit/", data, **EN)
    assert response.status_code == 200
    assert response.context["form"].errors["not_suitable_reason"] == [
        "Say why the product is not suitable."
    ]
    data["not_suitable_reason"] = ["Terlalu berat untuk dikirim"]
    assert client.post(f"/products/{product.code}/edit/", data).status_code == 302
    step = StatusChange.objects.get(product=product)
    assert (step.to_status, step.reason) == ("not_suitable", "Terlalu berat untuk dikirim")


def test_import_checks_rows_with_the_models_own_rules(make_product):
    from django.utils import translation

    from catalogue.spreadsheets.importing import plan_for_file

    food = make_product(category="makanan-olahan", name_id="Keripik", shelf_life_days=90)
    rows = export_rows([food])
    rows[1][KEYS.index("shelf_life_days")] = ""
    rows[1][KEYS.index("name_en")] = "x" * 201

    def errors():
        with translation.override("en"):
            return [str(e) for e in plan_for_file(xlsx_bytes(rows), "products.xlsx").errors]

    assert errors() == ["Row 2, name_en: 201 characters is too long: at most 200."]
    rows[1][KEYS.index("name_en")] = "Chips"
    assert errors() == [
        "Row 2, shelf_life_days: Shelf life is required for food and beverage products."
    ]


def test_admin_export_rows_are_the_spreadsheet_rows(product):
    from catalogue.resources import ProductResource
    from catalogue.spreadsheets.columns import export_queryset, row_values

    dataset = ProductResource().export(Product.objects.all())
    assert dataset.headers == KEYS
    assert list(dataset[0]) == row_values(export_queryset(Product.objects.all()).get())
    chosen = ["code", "readiness", "updated_at"]
    partial = ProductResource().export(Product.objects.all(), export_fields=chosen)
    assert partial.headers == chosen
    values = dict(zip(KEYS, dataset[0], strict=True))
    assert list(partial[0]) == [values[key] for key in chosen]
