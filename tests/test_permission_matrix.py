"""Every role × every staff-UI URL × GET/POST: the status code each gets (README, "Roles and
demo logins").

Placeholders in URLs: ``{jp}``/``{bp}`` a Jember/Banyuwangi product, ``{jr}``/``{br}`` a
Jember/Banyuwangi producer. Edit POSTs send an empty form: allowed users get the form back
with errors (200), the rest 403. The regency user covers Jember only.
"""

import pytest
from django.contrib.auth.models import User

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "norole", "admin", "staff", "regency", "visitor"]

READ_URLS = [
    "/",
    "/products/",
    "/products/{jp}/",
    "/products/{bp}/",
    "/producers/",
    "/producers/{jr}/",
    "/producers/{br}/",
    "/visits/",
    "/follow-ups/",
    "/exports/",
    "/products/export/?format=csv",
    "/producers/export/?format=xlsx",
    "/products/export/?format=lookbook",
    "/products/export/?format=xlsx&layout=readable",
    "/producers/export/?format=csv&layout=readable",
    "/products/{jp}/sheet/",
    "/products/lookbook/",
]

# url -> may the Jember regency user edit it?
EDIT_URLS = {
    "/products/{jp}/edit/": True,
    "/products/{bp}/edit/": False,
    "/products/new/": True,
    "/producers/{jr}/edit/": True,
    "/producers/{br}/edit/": False,
    "/producers/new/": True,
}

LOGIN = "login"  # 302 to /accounts/login/?next=...


def _expected_read(role):
    return {"anonymous": LOGIN, "norole": 403}.get(role, 200)


def _expected_edit(role, regency_may):
    if role == "anonymous":
        return LOGIN
    if role in ("admin", "staff"):
        return 200
    if role == "regency":
        return 200 if regency_may else 403
    return 403  # visitor, no role


def _matrix():
    rows = []
    for role in ROLES:
        for url in READ_URLS:
            rows.append((role, url, "get", _expected_read(role)))
        for url, regency_may in EDIT_URLS.items():
            for method in ("get", "post"):
                rows.append((role, url, method, _expected_edit(role, regency_may)))
        # An empty bulk request is refused with a message and a redirect to the list.
        bulk = {"anonymous": LOGIN, "norole": 403, "visitor": 403}.get(role, 302)
        rows.append((role, "/products/bulk/", "post", bulk))
        rows.append((role, "/products/bulk/", "get", LOGIN if role == "anonymous" else 405))
        # The translation view: those who change products (regency staff: their own rows).
        may_change = role in ("admin", "staff", "regency")
        translate = {"anonymous": LOGIN}.get(role, 200 if may_change else 403)
        rows.append((role, "/products/translate/?lang=zh", "get", translate))
        rows.append((role, "/products/translate/?lang=en&regency=35.10", "get", translate))
        # An empty row names no product: 404 (tests/catalogue/test_translate.py posts rows).
        empty_row = {"anonymous": LOGIN}.get(role, 404 if may_change else 403)
        rows.append((role, "/products/translate/", "post", empty_row))
        # Django admin: administrators only; everyone else is sent to the admin's login.
        admin = 200 if role == "admin" else "admin-login"
        rows.append((role, "/admin/", "get", admin))
        rows.append((role, "/healthz", "get", 200))
        # Imports: administrators, regional staff and regency staff (their regencies' rows).
        may_import = role in ("admin", "staff", "regency")
        importing = {"anonymous": LOGIN}.get(role, 200 if may_import else 403)
        rows.append((role, "/products/import/", "get", importing))
        rows.append((role, "/products/import/template.xlsx", "get", importing))
        # An empty upload comes back with the form's error.
        rows.append((role, "/products/import/", "post", importing))
        # Unknown codes are 404 for whoever may otherwise see the page.
        for url in ("/products/NOPE-9999/", "/producers/P-NOPE-999/"):
            rows.append(
                (role, url, "get", _expected_read(role) if role in ("anonymous", "norole") else 404)
            )
        for url in ("/products/NOPE-9999/edit/", "/producers/P-NOPE-999/edit/"):
            expected = {"anonymous": LOGIN, "norole": 403}.get(role, 404)
            rows.append((role, url, "get", expected))
    return rows


@pytest.fixture
def records(make_producer, make_product):
    jr = make_producer("35.09", name="Drum Pakusari", nib="9120001234567")
    br = make_producer("35.10", name="Batik Gandrung")
    jp = make_product(producer=jr, name_id="Kursi drum")
    bp = make_product(producer=br, category="batik", name_id="Batik gajah oling")
    return {"jp": jp.code, "bp": bp.code, "jr": jr.code, "br": br.code}


@pytest.fixture
def client_for(client, role_users):
    def login(role):
        if role == "norole":
            user = User.objects.create_user("norole", password=PASSWORD)
            client.force_login(user)
        elif role != "anonymous":
            client.force_login(role_users[role])
        return client

    return login


@pytest.mark.parametrize(("role", "url", "method", "expected"), _matrix())
def test_permission_matrix(client_for, records, role, url, method, expected):
    client = client_for(role)
    path = url.format(**records)
    response = getattr(client, method)(path)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expected == "admin-login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    else:
        assert response.status_code == expected, f"{role} {method.upper()} {path}"
    if method == "post" and expected == 200:
        # An empty form comes back with its errors, nothing saved.
        assert response.context["form"].errors


def test_regency_staff_valid_post_on_own_producer_redirects(client, regency_user, records):
    from tests.catalogue.test_product_edit import form_data

    client.force_login(regency_user)
    page = client.get(f"/producers/{records['jr']}/edit/")
    data = form_data(page, must_have="version")
    data["name"] = ["Drum Pakusari Jaya"]
    response = client.post(f"/producers/{records['jr']}/edit/", data)
    assert response.status_code == 302


def test_regency_staff_valid_post_on_own_product_redirects(client, regency_user, records):
    from tests.catalogue.test_product_edit import form_data

    client.force_login(regency_user)
    page = client.get(f"/products/{records['jp']}/edit/")
    data = form_data(page)
    data["name_en"] = ["Drum chair"]
    response = client.post(f"/products/{records['jp']}/edit/", data)
    assert response.status_code == 302


def test_regency_staff_valid_post_on_other_regency_product_is_forbidden(
    client, regency_user, staff_user, records
):
    from catalogue.models import Product
    from tests.catalogue.test_product_edit import form_data

    client.force_login(staff_user)
    data = form_data(client.get(f"/products/{records['bp']}/edit/"))
    data["name_id"] = ["Diubah oleh orang lain"]
    client.force_login(regency_user)
    response = client.post(f"/products/{records['bp']}/edit/", data)
    assert response.status_code == 403
    assert Product.objects.get(code=records["bp"]).name_id == "Batik gajah oling"


def test_visitor_does_not_see_producer_nib(client, visitor_user, records):
    client.force_login(visitor_user)
    response = client.get(f"/producers/{records['jr']}/")
    assert response.status_code == 200
    assert b'data-testid="nib"' not in response.content
    assert b"9120001234567" not in response.content


@pytest.mark.parametrize("role", ["admin", "staff", "regency"])
def test_staff_roles_see_producer_nib(client, role_users, records, role):
    client.force_login(role_users[role])
    response = client.get(f"/producers/{records['jr']}/")
    assert b'data-testid="nib"' in response.content
    assert b"9120001234567" in response.content


def test_visitor_sees_no_edit_links(client, visitor_user, records):
    client.force_login(visitor_user)
    detail = client.get(f"/products/{records['jp']}/")
    assert b'data-testid="edit-product"' not in detail.content
    assert f"/products/{records['jp']}/edit/".encode() not in detail.content
    listing = client.get("/products/")
    assert b"/products/new/" not in listing.content
    assert b'name="selected"' not in listing.content


# --- Visits, notes and follow-ups -------------------------------------------------------
# Placeholders: ``{v}`` a visit, ``{s}`` its stop, ``{n}`` a shared note by the visitor,
# ``{pn}`` a private note by staff, ``{f}`` a follow-up owned by staff, ``{jr}`` a producer.
VISIT_READ_URLS = [
    "/visits/{v}/",
    "/visits/{v}/report/",
    "/visits/{v}/export.xlsx",
    "/visits/{v}/notes/new/",
    "/notes/new/",
    "/notes/products/?producer={jr}",
    "/follow-ups/mine/",
]
VISIT_PLAN_URLS = ["/visits/new/", "/visits/{v}/edit/", "/visits/{v}/stops/{s}/edit/"]
STAFF = ("admin", "staff")


def _visit_matrix():
    rows = []
    for role in ROLES:
        gate = {"anonymous": LOGIN, "norole": 403}.get(role)
        for url in VISIT_READ_URLS:
            rows.append((role, url, "get", gate or 200))
        rows.append((role, "/visits/today/", "get", gate or 302))
        for url in VISIT_PLAN_URLS:
            for method in ("get", "post"):
                rows.append((role, url, method, gate or (200 if role in STAFF else 403)))
        rows.append(
            (role, "/visits/{v}/stops/add/", "post", gate or (200 if role in STAFF else 403))
        )
        for action in ("move", "status", "delete"):
            url = f"/visits/{{v}}/stops/{{s}}/{action}/"
            rows.append((role, url, "post", gate or (302 if role in STAFF else 403)))
            rows.append((role, url, "get", LOGIN if role == "anonymous" else 405))
        # Everyone with a role writes notes; an empty note comes back with its errors.
        rows.append((role, "/visits/{v}/notes/new/", "post", gate or 200))
        # The visitor wrote {n}: authors and staff edit it, regency staff only read it.
        rows.append((role, "/notes/{n}/edit/", "get", gate or (403 if role == "regency" else 200)))
        # {pn} is private to staff: invisible (404) for the others.
        rows.append((role, "/notes/{pn}/edit/", "get", gate or (200 if role in STAFF else 404)))
        rows.append(
            (role, "/notes/{n}/follow-ups/", "post", gate or (302 if role in STAFF else 403))
        )
        rows.append(
            (role, "/notes/{pn}/follow-ups/", "post", gate or (302 if role in STAFF else 404))
        )
        rows.append(
            (role, "/follow-ups/{f}/close/", "post", gate or (302 if role in STAFF else 403))
        )
        for method in ("get", "post"):
            rows.append(
                (role, "/follow-ups/{f}/edit/", method, gate or (200 if role in STAFF else 403))
            )
        for url in ("/visits/99999/", "/visits/99999/report/", "/notes/99999/edit/"):
            rows.append((role, url, "get", gate or 404))
    return rows


@pytest.fixture
def visit_records(records, make_visit_with_notes):
    from catalogue.models import Producer

    producer = Producer.objects.get(code=records["jr"])
    visit, stop, shared, private, follow_up = make_visit_with_notes(producer)
    return {
        **records,
        "v": visit.pk,
        "s": stop.pk,
        "n": shared.pk,
        "pn": private.pk,
        "f": follow_up.pk,
    }


@pytest.mark.parametrize(("role", "url", "method", "expected"), _visit_matrix())
def test_visit_permission_matrix(client_for, visit_records, role, url, method, expected):
    client = client_for(role)
    path = url.format(**visit_records)
    response = getattr(client, method)(path)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected, f"{role} {method.upper()} {path}"
    if method == "post" and expected == 200:
        assert response.context["form"].errors


# --- Uploaded files, checked per object -------------------------------------------------
# Placeholders: ``{pp}``/``{sp}`` a private/shared note photo by the visitor, ``{c}`` a
# certificate document of a Banyuwangi product, ``{i}`` an import file uploaded by the
# Jember regency user. ``visitor_b`` is another visitor, ``regency_b`` another Jember
# regency user. Each is allowed exactly as the page that shows it (the visit page, the
# product page, the import preview); whoever may not see it gets 404, as for a missing file.
FILE_ROLES = [*ROLES, "visitor_b", "regency_b"]
STAFF_AND_AUTHOR = {"admin", "staff", "visitor"}
FILE_URLS = {
    # Private notes: the author and regional staff (visits/access.py).
    "/files/notes/{pp}/": STAFF_AND_AUTHOR,
    "/files/notes/{pp}/thumbnail/": STAFF_AND_AUTHOR,
    # Shared notes: regency staff too; visitors read their own notes only.
    "/files/notes/{sp}/": STAFF_AND_AUTHOR | {"regency", "regency_b"},
    "/files/notes/{sp}/thumbnail/": STAFF_AND_AUTHOR | {"regency", "regency_b"},
    # Every role reads every product and its certifications (catalogue/access.py).
    "/files/certificates/{c}/": {"admin", "staff", "regency", "regency_b", "visitor", "visitor_b"},
    # Imports: the uploader and administrators (the import preview's rule).
    "/files/imports/{i}/": {"admin", "regency"},
    "/files/notes/99999/": set(),
    "/files/certificates/99999/": set(),
    "/files/imports/99999/": set(),
}


def _file_matrix():
    rows = []
    for role in FILE_ROLES:
        gate = {"anonymous": LOGIN, "norole": 403}.get(role)
        for url, allowed in FILE_URLS.items():
            expected = gate or (200 if role in allowed else 404)
            # Roles without import rights are refused before any file is looked up.
            if url.startswith("/files/imports/") and role in ("visitor", "visitor_b"):
                expected = 403
            rows.append((role, url, "get", expected))
    return rows


@pytest.fixture
def file_records(records, visitor_user, regency_user):
    from catalogue.models import Product
    from tests.protected_files import make_protected_files

    files = make_protected_files(
        Product.objects.get(code=records["bp"]), visitor_user, regency_user
    )
    return {
        "pp": files.private_photo.pk,
        "sp": files.shared_photo.pk,
        "c": files.certificate.pk,
        "i": files.batch.pk,
    }


@pytest.fixture
def file_client_for(client_for, client, jember):
    from core import roles
    from tests.conftest import _user

    def login(role):
        if role == "visitor_b":
            client.force_login(_user("visitor-b", roles.VISITOR))
        elif role == "regency_b":
            user = _user("regency-b", roles.REGENCY_STAFF)
            jember.staff.add(user)
            client.force_login(user)
        else:
            client_for(role)
        return client

    return login


@pytest.mark.parametrize(("role", "url", "method", "expected"), _file_matrix())
def test_file_permission_matrix(file_client_for, file_records, role, url, method, expected):
    client = file_client_for(role)
    path = url.format(**file_records)
    response = getattr(client, method)(path)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        return
    assert response.status_code == expected, f"{role} {method.upper()} {path}"
    if expected == 200:
        assert b"".join(response.streaming_content)
        assert response["Cache-Control"] == "private, no-store"


# --- Showroom: collections and share links ----------------------------------------------
# Placeholders: ``{rc}`` a region-wide collection, ``{jc}`` a Jember collection, ``{sl}`` a
# link of {rc} made by staff, ``{vl}`` one made by the visitor. Curators: administrators and
# regional staff everywhere, regency staff on their regencies' collections; visitors read
# collections and make (and revoke their own) links. Empty POSTs: a form comes back with
# its errors (200) or the page redirects with a message (302).
CURATORS = {"rc": ("admin", "staff"), "jc": ("admin", "staff", "regency")}


def _collection_matrix():
    rows = []
    for role in ROLES:
        gate = {"anonymous": LOGIN, "norole": 403}.get(role)
        for url in ("/collections/", "/collections/{rc}/", "/collections/{jc}/"):
            rows.append((role, url, "get", gate or 200))
        for url in ("/collections/99999/", "/collections/99999/edit/"):
            rows.append((role, url, "get", gate or 404))
        rows.append((role, "/collections/links/99999/revoke/", "post", gate or 404))
        creates = gate or (200 if role in ("admin", "staff", "regency") else 403)
        rows += [(role, "/collections/new/", method, creates) for method in ("get", "post")]
        for key, curators in CURATORS.items():
            curate = 200 if role in curators else 403
            for method in ("get", "post"):
                rows.append((role, f"/collections/{{{key}}}/edit/", method, gate or curate))
            rows.append((role, f"/collections/{{{key}}}/delete/", "get", gate or curate))
            reorders = 302 if role in curators else 403
            rows.append((role, f"/collections/{{{key}}}/products/", "post", gate or reorders))
            shares = 200 if role in curators or role == "visitor" else 403
            rows.append((role, f"/collections/{{{key}}}/links/", "post", gate or shares))
        # The staff's link: its collection's curators; the visitor's: the visitor too.
        for key, revokers in (("sl", ("admin", "staff")), ("vl", ("admin", "staff", "visitor"))):
            revokes = 302 if role in revokers else 403
            rows.append((role, f"/collections/links/{{{key}}}/revoke/", "post", gate or revokes))
        # An empty "add to a collection" is refused with a message, back to the list.
        rows.append((role, "/collections/add/", "post", gate or 302))
        rate = 302 if role in ("admin", "staff") else 403
        rows.append((role, "/collections/rate/", "post", gate or rate))
        for url in (
            "/collections/add/",
            "/collections/rate/",
            "/collections/{rc}/products/",
            "/collections/{rc}/links/",
            "/collections/links/{sl}/revoke/",
        ):
            rows.append((role, url, "get", LOGIN if role == "anonymous" else 405))
    return rows


@pytest.fixture
def collection_records(records, staff_user, visitor_user):
    from catalogue.models import Product
    from regions.models import Regency
    from showroom import collection_writes
    from showroom.models import Collection

    region = collection_writes.save_collection(Collection(name_id="TEC Shanghai"), staff_user)
    jember = collection_writes.save_collection(
        Collection(name_id="Drum Pakusari", regency=Regency.objects.get(code="35.09")), staff_user
    )
    collection_writes.add_products(jember, Product.objects.filter(code=records["jp"]), staff_user)
    staff_link = collection_writes.create_link(region, staff_user, label="Ningbo")
    visitor_link = collection_writes.create_link(region, visitor_user, label="Yiwu")
    return {
        **records,
        "rc": region.pk,
        "jc": jember.pk,
        "sl": staff_link.pk,
        "vl": visitor_link.pk,
    }


@pytest.mark.parametrize(("role", "url", "method", "expected"), _collection_matrix())
def test_collection_permission_matrix(client_for, collection_records, role, url, method, expected):
    client = client_for(role)
    path = url.format(**collection_records)
    response = getattr(client, method)(path)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected, f"{role} {method.upper()} {path}"
    if method == "post" and expected == 200:
        form = response.context.get("form") or response.context.get("link_form")
        assert form.errors


# --- Showroom: the inquiry inbox and samples ---------------------------------------------
# Placeholders: ``{i}``/``{bi}`` an inquiry about a Jember/Banyuwangi product, ``{s}``/``{bs}``
# a sample of one. Administrators and regional staff see all; regency staff (Jember) only
# Jember's (the others are 404); visitors none (403). Follow-ups from an inquiry: those who
# create follow-ups (admin, staff), as from a note.
SHOWROOM_URLS = {
    # url: may the Jember regency user see it?
    "/inquiries/": True,
    "/inquiries/?owner=mine&regency=35.09": True,
    "/inquiries/export/?format=csv": True,
    "/inquiries/export/?format=xlsx": True,
    "/inquiries/{i}/": True,
    "/inquiries/{bi}/": False,
    "/samples/": True,
    "/samples/export/?format=csv": True,
    "/samples/new/": True,
    "/samples/new/?inquiry={i}&product={jp}": True,
    "/samples/{s}/": True,
    "/samples/{s}/edit/": True,
    "/samples/{bs}/": False,
    "/samples/{bs}/edit/": False,
}
SHOWROOM_FORMS = {"/inquiries/{i}/": True, "/inquiries/{bi}/": False, "/samples/new/": True}
SHOWROOM_FORMS |= {"/samples/{s}/edit/": True, "/samples/{bs}/edit/": False}


def _showroom_expected(role, regency_may, allowed=200):
    gate = {"anonymous": LOGIN, "norole": 403, "visitor": 403}.get(role)
    if gate:
        return gate
    return allowed if role in STAFF or regency_may else 404


def _showroom_matrix():
    rows = []
    for role in ROLES:
        for url, regency_may in SHOWROOM_URLS.items():
            rows.append((role, url, "get", _showroom_expected(role, regency_may)))
        for url, regency_may in SHOWROOM_FORMS.items():
            rows.append((role, url, "post", _showroom_expected(role, regency_may)))
        for url in ("/inquiries/99999/", "/samples/99999/", "/samples/99999/edit/"):
            rows.append((role, url, "get", _showroom_expected(role, False, allowed=404)))
        follow_ups = {"anonymous": LOGIN, "norole": 403}.get(role, 302 if role in STAFF else 403)
        rows.append((role, "/inquiries/{i}/follow-ups/", "post", follow_ups))
        rows.append(
            (role, "/inquiries/{i}/follow-ups/", "get", LOGIN if role == "anonymous" else 405)
        )
    return rows


@pytest.fixture
def showroom_records(records):
    from catalogue.models import Product
    from tests.showroom.factories import make_inquiry, make_sample

    jp, bp = Product.objects.get(code=records["jp"]), Product.objects.get(code=records["bp"])
    return {
        **records,
        "i": make_inquiry(jp).pk,
        "bi": make_inquiry(bp).pk,
        "s": make_sample(jp).pk,
        "bs": make_sample(bp).pk,
    }


@pytest.mark.parametrize(("role", "url", "method", "expected"), _showroom_matrix())
def test_showroom_permission_matrix(client_for, showroom_records, role, url, method, expected):
    client = client_for(role)
    path = url.format(**showroom_records)
    response = getattr(client, method)(path)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        return
    assert response.status_code == expected, f"{role} {method.upper()} {path}"
    if response.streaming:
        assert b"".join(response.streaming_content)
    if method == "post" and expected == 200:
        assert response.context["form"].errors


# --- Buyers' pages (showroom.public_views) ---------------------------------------------
# The token is the only key: every role, signed in or not, gets the same answer.
# Placeholders: ``{live}``/``{revoked}``/``{expired}`` share-link tokens of one collection,
# ``{p}`` a product in it, ``{o}`` a product outside it, ``{ph}`` a photo of ``{p}``.
PUBLIC_URLS = {
    "/s/{live}/": 200,
    "/s/{live}/{p}/": 200,
    "/s/{live}/thanks/": 200,
    "/s/{live}/p/{ph}/320.webp": 200,
    "/s/{live}/{o}/": 404,
    "/s/{live}/p/{ph}/333.webp": 404,
    "/s/{revoked}/": 410,
    "/s/{revoked}/{p}/": 410,
    "/s/{revoked}/thanks/": 410,
    "/s/{revoked}/p/{ph}/320.webp": 404,
    "/s/{expired}/": 410,
    "/s/{expired}/{p}/": 410,
    "/s/unknown-token/": 404,
    "/s/unknown-token/{p}/": 404,
}


@pytest.fixture
def public_records(make_product):
    import datetime

    from django.utils import timezone

    from catalogue.models import ProductPhoto
    from showroom.models import Collection, CollectionItem, ShareLink
    from tests.catalogue.test_product_edit import jpeg

    product, outside = make_product(), make_product()
    photo = ProductPhoto.objects.create(product=product, image=jpeg(), is_primary=True)
    collection = Collection.objects.create(name_id="Koleksi")
    CollectionItem.objects.create(collection=collection, product=product)
    later = timezone.now() + datetime.timedelta(days=1)

    def link(**fields):
        return ShareLink.objects.create(collection=collection, label="x", **fields).token

    return {
        "live": link(expires_at=later),
        "revoked": link(expires_at=later, revoked_at=timezone.now()),
        "expired": link(expires_at=timezone.now() - datetime.timedelta(seconds=1)),
        "p": product.code,
        "o": outside.code,
        "ph": photo.pk,
    }


@pytest.mark.parametrize(
    ("role", "url", "expected"),
    [(role, url, expected) for role in ROLES for url, expected in PUBLIC_URLS.items()],
)
def test_public_share_link_matrix(client_for, public_records, role, url, expected):
    response = client_for(role).get(url.format(**public_records))
    assert response.status_code == expected, f"{role} GET {url}"


# --- Background jobs: the owner and administrators only ---------------------------------
# Placeholders: ``{j}`` a failed import-confirm job started by regional staff. For anyone
# else with a role it does not exist (404). Cancel answers with a message and a redirect
# (a confirm cannot be cancelled); "Try again" queues it again (302).
JOB_SEES = ("admin", "staff")


def _job_matrix():
    rows = []
    for role in ROLES:
        gate = {"anonymous": LOGIN, "norole": 403}.get(role)
        rows.append((role, "/jobs/", "get", gate or 200))
        for url in ("/jobs/{j}/", "/jobs/{j}/status.json"):
            rows.append((role, url, "get", gate or (200 if role in JOB_SEES else 404)))
        for action in ("cancel", "retry"):
            url = f"/jobs/{{j}}/{action}/"
            rows.append((role, url, "post", gate or (302 if role in JOB_SEES else 404)))
            rows.append((role, url, "get", LOGIN if role == "anonymous" else 405))
    return rows


@pytest.fixture
def job_records(db, staff_user):
    from core.jobs.models import Job

    job = Job.objects.create(
        kind="import_confirm", owner=staff_user, subject="999999", state=Job.State.FAILED
    )
    return {"j": job.pk}


@pytest.mark.parametrize(("role", "url", "method", "expected"), _job_matrix())
def test_job_permission_matrix(client_for, job_records, role, url, method, expected):
    response = getattr(client_for(role), method)(url.format(**job_records))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected, f"{role} {method.upper()} {url}"
