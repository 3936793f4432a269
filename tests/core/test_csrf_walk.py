"""Every URL of the site: GET changes nothing, POST needs a CSRF token, writes re-check
permissions (OWASP Cross-Site Request Forgery Prevention Cheat Sheet).

The walk reads the URL resolver, so a new page is covered as soon as it is routed; a new
kind of URL argument makes ``_kwargs`` fail until it is given a test value.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import Max
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from catalogue.models import Certification, ExportRecord, ImportBatch, Producer, Product
from showroom.collection_writes import add_products, create_link, save_collection
from showroom.models import Collection, ShareLink
from tests.catalogue.spreadsheets.test_import import csv_bytes, export_rows
from tests.catalogue.test_product_edit import form_data, jpeg
from tests.showroom.factories import make_inquiry, make_sample
from visits.models import VisitNotePhoto, VisitStop

pytestmark = pytest.mark.django_db

# Records that reading a page writes by design: the export history logs every download,
# a buyer's product page counts its views.
WRITTEN_BY_READS = {"catalogue.ExportRecord", "sessions.Session", "showroom.ProductView"}


def _routes(patterns=None, prefix="", namespace=""):
    """(route text, URL name, parameter names) of every routed view."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from _routes(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name or ""]))
            yield route, name, entry


def _site_routes():
    """Everything but the Django admin (its views are Django's own, CSRF-protected)."""
    return [
        (route, name, entry) for route, name, entry in _routes() if not route.startswith("admin/")
    ]


def _parameters(entry):
    """Names of the URL's arguments (``path()`` converters or ``re_path()`` groups)."""
    pattern = entry.pattern
    names = getattr(pattern, "converters", None)
    return list(names) if names is not None else list(pattern.regex.groupindex)


@pytest.fixture
def site(make_producer, make_product, make_visit_with_notes, staff_user, visitor_user, admin_user):
    """One of each record a URL can name, owned the way the role checks care about."""
    jr = make_producer("35.09", name="Drum Pakusari")
    br = make_producer("35.10", name="Batik Gandrung")
    jp = make_product(producer=jr, name_id="Kursi drum", price_idr=850_000)
    bp = make_product(producer=br, category="batik", name_id="Batik gajah oling")
    visit, stop, note, private, follow_up = make_visit_with_notes(jr, product=jp)
    VisitStop.objects.create(visit=visit, producer=br, position=2)
    ExportRecord.objects.create(
        user=staff_user, format="csv", row_count=1, fingerprints={jp.code: "abc"}
    )
    # A previewed import by regional staff that would rename the Banyuwangi product.
    rows = export_rows(Product.objects.filter(pk=bp.pk))
    rows[1][rows[0].index("name_en")] = "Renamed by import"
    staff = Client()
    staff.force_login(staff_user)
    staff.post("/products/import/", {"file": _upload(csv_bytes(rows))})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.PREVIEWED, batch.summary
    certificate = Certification.objects.create(
        product=jp, kind="svlk", document=_upload(b"%PDF-1.4\n", "svlk.pdf")
    )
    note_photo = VisitNotePhoto.objects.create(note=note, image=jpeg())
    collection = save_collection(Collection(name_id="TEC Shanghai"), staff_user)
    add_products(collection, [jp, bp], staff_user)
    share_link = create_link(collection, staff_user, label="Ningbo importers")
    inquiry = make_inquiry(jp, link=share_link)
    sample = make_sample(jp, inquiry=inquiry)
    b_inquiry = make_inquiry(bp)
    return {
        "inquiry": inquiry,
        "sample": sample,
        "b_inquiry": b_inquiry,
        "b_sample": make_sample(bp, inquiry=b_inquiry),
        "jr": jr,
        "br": br,
        "jp": jp,
        "bp": bp,
        "visit": visit,
        "stop": stop,
        "note": note,
        "private": private,
        "follow_up": follow_up,
        "batch": batch,
        "certificate": certificate,
        "note_photo": note_photo,
        "collection": collection,
        "share_link": share_link,
        "job": batch_job(batch),
    }


def batch_job(batch):
    from core.jobs.models import Job

    return Job.objects.get(kind="import_analysis", subject=str(batch.pk))


def _upload(data, name="products.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _kwargs(name, parameters, site):
    values = {}
    for parameter in parameters:
        if parameter == "code":
            values[parameter] = (site["jr"] if name.startswith("producer") else site["jp"]).code
        elif parameter == "stop_pk":
            values[parameter] = site["stop"].pk
        elif parameter == "pk" and name == "certificate_document":
            values[parameter] = site["certificate"].pk
        elif parameter == "pk" and name == "import_file":
            values[parameter] = site["batch"].pk
        elif parameter == "pk" and name.startswith("note_photo"):
            values[parameter] = site["note_photo"].pk
        elif parameter == "pk" and (name.startswith("job_") or name == "built_lookbook"):
            values[parameter] = site["job"].pk
        elif parameter == "pk" and name.startswith("product_import"):
            values[parameter] = site["batch"].pk
        elif parameter == "pk" and name.startswith(("visit", "stop")):
            values[parameter] = site["visit"].pk
        elif parameter == "pk" and name.startswith("note"):
            values[parameter] = site["note"].pk
        elif parameter == "pk" and name.startswith("followup"):
            values[parameter] = site["follow_up"].pk
        elif parameter == "pk" and name == "sharelink_revoke":
            values[parameter] = site["share_link"].pk
        elif parameter == "pk" and name.startswith(("collection", "sharelink")):
            values[parameter] = site["collection"].pk
        elif parameter == "pk" and name.startswith("inquiry"):
            values[parameter] = site["inquiry"].pk
        elif parameter == "pk" and name.startswith("sample"):
            values[parameter] = site["sample"].pk
        elif parameter == "token" and name.startswith("share_"):
            values[parameter] = site["share_link"].token  # the buyers' pages of a live link
        elif parameter in ("uidb64", "token"):
            values[parameter] = "x"
        elif parameter == "photo":  # showroom share_photo: /s/<token>/p/<photo>/<width>.webp
            values[parameter] = 1
        elif parameter == "width":
            values[parameter] = 320
        else:
            pytest.fail(f"no test value for <{parameter}> in the URL {name!r}")
    return values


def _urls(site):
    urls = []
    for route, name, entry in _site_routes():
        assert name, f"unnamed URL {route!r}"
        path = reverse(name, kwargs=_kwargs(name, _parameters(entry), site))
        urls.append((name, path, entry))
    return urls


def _state():
    """Row count and newest ``updated_at`` of every table (what a write would move)."""
    state = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in WRITTEN_BY_READS:
            continue
        rows = model._base_manager.all()
        newest = None
        if any(field.name == "updated_at" for field in model._meta.fields):
            newest = rows.aggregate(newest=Max("updated_at"))["newest"]
        state[label] = (rows.count(), newest)
    return state


def _changes(before, after):
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


def _consume(response):
    """Read a streamed file to its end; the test client then closes it itself (closing it
    here would fire request_finished and close the test's database connection)."""
    if response.streaming:
        b"".join(response.streaming_content)


def test_every_site_url_is_walked(site):
    names = {name for name, _path, _entry in _urls(site)}
    # A sample that must be there, so that a broken walk cannot pass by walking nothing.
    assert {"product_edit", "product_bulk", "stop_delete", "followup_close", "logout"} <= names
    assert {"product_import_preview", "note_edit", "set_language", "healthz"} <= names
    assert {"certificate_document", "import_file", "note_photo", "note_photo_thumbnail"} <= names
    assert {"inquiry_detail", "inquiry_export", "inquiry_follow_ups", "sample_edit"} <= names
    assert {"collection_items", "collection_add_products", "sharelink_revoke"} <= names


def test_no_view_is_csrf_exempt():
    exempt = [
        name or route
        for route, name, entry in _routes()
        if getattr(entry.callback, "csrf_exempt", False)
    ]
    assert exempt == []


def test_get_as_staff_changes_nothing(client, staff_user, site):
    client.force_login(staff_user)
    errors, changed = [], {}
    for name, path, _entry in _urls(site):
        if name == "logout":
            continue  # GET is refused (405) anyway; skipping keeps the session
        before = _state()
        query = "?format=csv" if name.endswith("_export") else ""
        response = client.get(path + query)
        _consume(response)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} GET {path}")
        difference = _changes(before, _state())
        if difference:
            changed[path] = difference
    assert not errors
    assert not changed, f"GET requests that wrote to the database: {changed}"


@pytest.mark.parametrize("role", ["admin", "staff", "visitor"])
def test_post_without_csrf_token_is_refused_everywhere(role_users, site, role):
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users[role])
    before = _state()
    accepted = []
    for _name, path, _entry in _urls(site):
        response = client.post(path, {"name_id": "x", "status": "done", "action": "status"})
        _consume(response)
        if response.status_code != 403:
            accepted.append(f"{response.status_code} POST {path}")
    # The admin is Django's own; one page each way shows the middleware guards it too.
    for path in (
        "/admin/login/",
        "/admin/logout/",
        f"/admin/catalogue/product/{site['jp'].pk}/change/",
    ):
        if client.post(path, {}).status_code != 403:
            accepted.append(f"POST {path}")
    assert accepted == [], "POSTs accepted without a CSRF token"
    assert _changes(before, _state()) == {}


def test_anonymous_login_post_without_csrf_token_is_refused(staff_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "staff-test", "password": "x"})
    assert response.status_code == 403


# --- Permissions re-checked on every write ----------------------------------------------
# Each case: the page staff would fill in (its form is harvested as regional staff sees it,
# so the data is valid), the POST a user without the right sends, and what they get.


def _harvest(client, page, must_have):
    return form_data(client.get(page), must_have=must_have)


WRITE_CASES = [
    # (id, role, GET page to harvest or None, field the form must have, POST url, extra data,
    #  expected status)
    (
        "product-edit-visitor",
        "visitor",
        "/products/{jp}/edit/",
        "name_id",
        "/products/{jp}/edit/",
        {},
        403,
    ),
    (
        "product-edit-other-regency",
        "regency",
        "/products/{bp}/edit/",
        "name_id",
        "/products/{bp}/edit/",
        {},
        403,
    ),
    (
        "producer-edit-visitor",
        "visitor",
        "/producers/{jr}/edit/",
        "version",
        "/producers/{jr}/edit/",
        {},
        403,
    ),
    (
        "producer-edit-other-regency",
        "regency",
        "/producers/{br}/edit/",
        "version",
        "/producers/{br}/edit/",
        {},
        403,
    ),
    (
        "product-create-visitor",
        "visitor",
        "/products/{jp}/edit/",
        "name_id",
        "/products/new/",
        {"name_id": "Baru"},
        403,
    ),
    (
        "producer-create-visitor",
        "visitor",
        "/producers/{jr}/edit/",
        "version",
        "/producers/new/",
        {"name": "Baru"},
        403,
    ),
    (
        "bulk-visitor",
        "visitor",
        None,
        None,
        "/products/bulk/",
        {"action": "status", "status": "candidate", "select_all": "on"},
        403,
    ),
    # Regency staff may use bulk actions, but rows outside their regencies are left alone.
    (
        "bulk-other-regency",
        "regency",
        None,
        None,
        "/products/bulk/",
        {"action": "status", "status": "candidate", "selected": "{bp}"},
        302,
    ),
    (
        "visit-edit-regency",
        "regency",
        "/visits/{visit}/edit/",
        "title",
        "/visits/{visit}/edit/",
        {"title": "Diubah"},
        403,
    ),
    (
        "visit-create-visitor",
        "visitor",
        "/visits/{visit}/edit/",
        "title",
        "/visits/new/",
        {"title": "Baru"},
        403,
    ),
    (
        "stop-add-visitor",
        "visitor",
        "/visits/{visit}/",
        "producer",
        "/visits/{visit}/stops/add/",
        {"producer": "{br}"},
        403,
    ),
    (
        "stop-edit-regency",
        "regency",
        "/visits/{visit}/stops/{stop}/edit/",
        "producer",
        "/visits/{visit}/stops/{stop}/edit/",
        {"producer": "{jr}", "position": "2"},
        403,
    ),
    (
        "stop-move-visitor",
        "visitor",
        None,
        None,
        "/visits/{visit}/stops/{stop}/move/",
        {"direction": "down"},
        403,
    ),
    (
        "stop-status-regency",
        "regency",
        None,
        None,
        "/visits/{visit}/stops/{stop}/status/",
        {"status": "skipped"},
        403,
    ),
    ("stop-delete-visitor", "visitor", None, None, "/visits/{visit}/stops/{stop}/delete/", {}, 403),
    (
        "note-edit-regency",
        "regency",
        "/notes/{note}/edit/",
        "text",
        "/notes/{note}/edit/",
        {"text": "Diubah"},
        403,
    ),
    (
        "private-note-edit-visitor",
        "visitor",
        "/notes/{private}/edit/",
        "text",
        "/notes/{private}/edit/",
        {"text": "Diubah"},
        404,
    ),
    ("follow-ups-from-note-visitor", "visitor", None, None, "/notes/{note}/follow-ups/", {}, 403),
    (
        "follow-up-edit-visitor",
        "visitor",
        "/follow-ups/{follow_up}/edit/",
        "description",
        "/follow-ups/{follow_up}/edit/",
        {"description": "Diubah"},
        403,
    ),
    (
        "follow-up-edit-regency",
        "regency",
        "/follow-ups/{follow_up}/edit/",
        "description",
        "/follow-ups/{follow_up}/edit/",
        {"description": "Diubah"},
        403,
    ),
    (
        "follow-up-close-visitor",
        "visitor",
        None,
        None,
        "/follow-ups/{follow_up}/close/",
        {"status": "done"},
        403,
    ),
    (
        "follow-up-close-regency",
        "regency",
        None,
        None,
        "/follow-ups/{follow_up}/close/",
        {"status": "done"},
        403,
    ),
    # Collections: visitors read them and hand out links, but do not curate; regency staff
    # curate only their regencies' collections ({collection} is region-wide).
    (
        "collection-edit-visitor",
        "visitor",
        "/collections/{collection}/edit/",
        "name_id",
        "/collections/{collection}/edit/",
        {"name_id": "Diubah"},
        403,
    ),
    (
        "collection-edit-regency",
        "regency",
        "/collections/{collection}/edit/",
        "name_id",
        "/collections/{collection}/edit/",
        {"name_id": "Diubah"},
        403,
    ),
    (
        "collection-remove-visitor",
        "visitor",
        None,
        None,
        "/collections/{collection}/products/",
        {"remove": "{item}"},
        403,
    ),
    (
        "collection-add-regency",
        "regency",
        None,
        None,
        "/collections/add/",
        {"collection": "{collection}", "selected": "{jp}"},
        403,
    ),
    (
        "collection-add-new-visitor",
        "visitor",
        None,
        None,
        "/collections/add/",
        {"collection_name": "Baru", "selected": "{jp}"},
        403,
    ),
    (
        "collection-delete-visitor",
        "visitor",
        None,
        None,
        "/collections/{collection}/delete/",
        {},
        403,
    ),
    (
        "link-create-regency",
        "regency",
        None,
        None,
        "/collections/{collection}/links/",
        {"label": "Buyers", "expires_on": "{in_a_month}"},
        403,
    ),
    (
        "link-revoke-visitor",
        "visitor",
        None,
        None,
        "/collections/links/{share_link}/revoke/",
        {},
        403,
    ),
    (
        "rate-visitor",
        "visitor",
        None,
        None,
        "/collections/rate/",
        {"idr_per_cny": "2250", "valid_on": "2026-05-01"},
        403,
    ),
    # Someone else's import is invisible to regency staff, and visitors do not import.
    (
        "import-confirm-regency",
        "regency",
        None,
        None,
        "/products/import/{batch}/",
        {"action": "confirm"},
        404,
    ),
    (
        "import-confirm-visitor",
        "visitor",
        None,
        None,
        "/products/import/{batch}/",
        {"action": "confirm"},
        403,
    ),
    (
        "import-discard-regency",
        "regency",
        None,
        None,
        "/products/import/{batch}/",
        {"action": "discard"},
        404,
    ),
    # Translations: visitors translate nothing, regency staff only their regencies' rows.
    (
        "translate-visitor",
        "visitor",
        None,
        None,
        "/products/translate/?lang=zh",
        {"product": "{jp}", "p{jp_pk}-version": "1", "p{jp_pk}-name_zh": "改"},
        403,
    ),
    (
        "translate-other-regency",
        "regency",
        None,
        None,
        "/products/translate/?lang=zh",
        {"product": "{bp}", "p{bp_pk}-version": "1", "p{bp_pk}-name_zh": "改"},
        403,
    ),
    # Showroom: visitors handle no inquiries or samples; regency staff only their regencies'.
    (
        "inquiry-edit-visitor",
        "visitor",
        "/inquiries/{inquiry}/",
        "version",
        "/inquiries/{inquiry}/",
        {"status": "lost"},
        403,
    ),
    (
        "inquiry-edit-other-regency",
        "regency",
        "/inquiries/{b_inquiry}/",
        "version",
        "/inquiries/{b_inquiry}/",
        {"status": "lost"},
        404,
    ),
    (
        "inquiry-follow-ups-regency",
        "regency",
        None,
        None,
        "/inquiries/{inquiry}/follow-ups/",
        {"kind": "samples"},
        403,
    ),
    (
        "inquiry-follow-ups-visitor",
        "visitor",
        None,
        None,
        "/inquiries/{inquiry}/follow-ups/",
        {"kind": "samples"},
        403,
    ),
    (
        "sample-edit-other-regency",
        "regency",
        "/samples/{b_sample}/edit/",
        "version",
        "/samples/{b_sample}/edit/",
        {"courier": "JNE"},
        404,
    ),
    (
        "sample-create-visitor",
        "visitor",
        "/samples/{sample}/edit/",
        "version",
        "/samples/new/",
        {},
        403,
    ),
    # The form comes back with "outside your regencies" on the product code.
    (
        "sample-create-other-regency",
        "regency",
        "/samples/{b_sample}/edit/",
        "version",
        "/samples/new/",
        {"version": ""},
        200,
    ),
]


def _fill(text, site):
    keys = {
        "jp": site["jp"].code,
        "bp": site["bp"].code,
        "jp_pk": site["jp"].pk,
        "bp_pk": site["bp"].pk,
        "jr": site["jr"].code,
        "br": site["br"].code,
        "visit": site["visit"].pk,
        "stop": site["stop"].pk,
        "note": site["note"].pk,
        "private": site["private"].pk,
        "follow_up": site["follow_up"].pk,
        "batch": site["batch"].pk,
        "inquiry": site["inquiry"].pk,
        "b_inquiry": site["b_inquiry"].pk,
        "sample": site["sample"].pk,
        "b_sample": site["b_sample"].pk,
        "collection": site["collection"].pk,
        "item": site["collection"].items.first().pk,
        "share_link": site["share_link"].pk,
        "in_a_month": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    return text.format(**keys)


@pytest.mark.parametrize(
    ("role", "page", "must_have", "url", "extra", "expected"),
    [case[1:] for case in WRITE_CASES],
    ids=[case[0] for case in WRITE_CASES],
)
def test_write_without_the_right_changes_nothing(
    client, role_users, site, role, page, must_have, url, extra, expected
):
    data = {}
    if page:
        client.force_login(role_users["staff"])
        data = _harvest(client, _fill(page, site), must_have)
    data.update({_fill(key, site): [_fill(value, site)] for key, value in extra.items()})
    client.force_login(role_users[role])
    before = _state()

    response = client.post(_fill(url, site), data)

    assert response.status_code == expected
    assert _changes(before, _state()) == {}
    assert not site["bp"].tags.filter(slug="hacked").exists()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PREVIEWED
    assert Product.objects.get(pk=site["bp"].pk).name_en != "Renamed by import"
    assert Producer.objects.count() == 2
    assert ShareLink.objects.filter(revoked_at__isnull=True).count() == 1
