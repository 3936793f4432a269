"""Uploads in S3-compatible object storage, for real: a local S3 server (moto's server mode)
stands in for AWS S3 or MinIO, and the app talks to it over HTTP through django-storages.

The storage settings are built by ``config.settings.s3_media`` from the same environment
variables a deployment sets.
"""

import csv
import io
import time
import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit

import boto3
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from catalogue.models import ProductPhoto
from config.settings import s3_media
from core.photos import THUMBNAIL_SIZE
from home.drawing import draw_product_photo
from tests.catalogue.test_product_edit import form_data
from tests.core.test_settings import _setting

ACCESS_KEY = "etalase-test"
SECRET_KEY = "etalase-test-secret"
REGION = "us-east-1"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_client(s3_endpoint):
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


def _s3_settings(monkeypatch, settings, endpoint, bucket):
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_S3_REGION_NAME", REGION)
    storage, media_url = s3_media(bucket)
    # Assigning STORAGES makes Django drop its cached storages, so the next use of the
    # default storage builds an S3 storage from these options.
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    settings.MEDIA_URL = media_url


@pytest.fixture
def bucket(monkeypatch, settings, s3_endpoint, s3_client):
    """A fresh private bucket as the default storage; local MEDIA_ROOT must stay empty."""
    name = f"etalase-{uuid.uuid4().hex[:12]}"
    s3_client.create_bucket(Bucket=name)
    _s3_settings(monkeypatch, settings, s3_endpoint, name)
    return name


def _keys(s3_client, bucket):
    listing = s3_client.list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def _object_bytes(s3_client, bucket, key):
    return s3_client.get_object(Bucket=bucket, Key=key)["Body"].read()


def _jpeg(name, seed):
    content = draw_product_photo("Kursi", seed=seed, size=(1200, 900))
    return SimpleUploadedFile(name, content.read(), content_type="image/jpeg")


@pytest.fixture
def product(make_producer, make_product):
    producer = make_producer("35.09", "35.09.24", name="Drum Pakusari")
    return make_product(producer=producer, name_id="Kursi drum", price_idr=850_000)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _upload_through_edit_form(client, product, *uploads):
    data = form_data(client.get(f"/products/{product.code}/edit/"))
    data["photos"] = list(uploads)
    response = client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return data


def _csv_rows(client, query=""):
    response = client.get(f"/products/export/?format=csv&{query}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_uploaded_photo_and_its_thumbnail_land_in_the_bucket(
    staff_client, product, bucket, s3_client, settings
):
    _upload_through_edit_form(staff_client, product, _jpeg("kursi.jpg", seed=1))

    photo = product.photos.get()
    assert _keys(s3_client, bucket) == sorted([photo.image.name, photo.thumbnail.name])
    assert photo.image.name.startswith("products/")
    assert photo.thumbnail.name.startswith("products/thumbs/")
    with Image.open(io.BytesIO(_object_bytes(s3_client, bucket, photo.thumbnail.name))) as thumb:
        assert thumb.width <= THUMBNAIL_SIZE[0] and thumb.height <= THUMBNAIL_SIZE[1]
    with Image.open(io.BytesIO(_object_bytes(s3_client, bucket, photo.image.name))) as image:
        assert image.size == (1200, 900)
        assert not image.getexif()  # cleaned before it was stored
    # Nothing on this server's disk that another app server would need.
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


@pytest.mark.django_db
def test_export_photo_url_is_a_signed_bucket_url_that_serves_the_photo(
    staff_client, product, bucket, s3_client, s3_endpoint
):
    _upload_through_edit_form(staff_client, product, _jpeg("kursi.jpg", seed=2))
    photo = product.photos.get()

    (row,) = _csv_rows(staff_client, "q=Kursi")
    url = row["photo_url"]
    assert url.startswith(f"{s3_endpoint}/{bucket}/{photo.image.name}?")
    assert "X-Amz-Signature=" in url or "Signature=" in url
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - our local server
        assert answer.read() == _object_bytes(s3_client, bucket, photo.image.name)


@pytest.mark.django_db
def test_product_list_shows_thumbnails_from_the_bucket_and_allows_them_in_the_csp(
    staff_client, product, bucket, s3_endpoint
):
    _upload_through_edit_form(staff_client, product, _jpeg("kursi.jpg", seed=3))
    response = staff_client.get("/products/", {"view": "grid"})
    assert f'src="{s3_endpoint}/{bucket}/products/thumbs/' in response.content.decode()
    # The Content-Security-Policy lets the browser load them: MEDIA_URL names the bucket.
    img_src = next(
        part
        for part in response["Content-Security-Policy"].split("; ")
        if part.startswith("img-src")
    )
    assert s3_endpoint in img_src.split()


@pytest.mark.django_db
def test_lookbook_reads_the_thumbnail_from_the_bucket(staff_client, product, bucket, settings):
    _upload_through_edit_form(staff_client, product, _jpeg("kursi.jpg", seed=4))
    response = staff_client.get("/products/export/?format=lookbook&q=Kursi")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert len(sheet._images) == 1
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*.*"))


@pytest.mark.django_db
def test_deleting_a_photo_in_the_edit_form_removes_its_files_from_the_bucket(
    staff_client, product, bucket, s3_client, django_capture_on_commit_callbacks
):
    _upload_through_edit_form(staff_client, product, _jpeg("kursi.jpg", seed=5))
    photo = product.photos.get()
    stored = _keys(s3_client, bucket)

    data = form_data(staff_client.get(f"/products/{product.code}/edit/"))
    assert data["photos-0-id"] == [str(photo.pk)]
    data["photos-0-DELETE"] = ["on"]
    assert len(stored) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/products/{product.code}/edit/", data)
    assert response.status_code == 302

    assert not ProductPhoto.objects.filter(pk=photo.pk).exists()
    (row,) = _csv_rows(staff_client, "q=Kursi")
    assert row["photo_url"] == ""
    assert _keys(s3_client, bucket) == []


@pytest.mark.django_db
def test_deleting_a_product_removes_its_photos_from_the_bucket(
    staff_client, product, bucket, s3_client, django_capture_on_commit_callbacks
):
    _upload_through_edit_form(staff_client, product, _jpeg("kursi.jpg", seed=7))
    assert len(_keys(s3_client, bucket)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/products/{product.code}/delete/", {"reason": "Test"})
    assert response.status_code == 302
    assert _keys(s3_client, bucket) == []


@pytest.mark.django_db
def test_photo_files_can_be_deleted_through_the_storage(product, bucket, s3_client):
    photo = ProductPhoto.objects.create(
        product=product, image=draw_product_photo("Kursi", seed=6, size=(320, 240))
    )
    assert len(_keys(s3_client, bucket)) == 2
    photo.image.delete(save=False)
    photo.thumbnail.delete(save=False)
    photo.delete()
    assert _keys(s3_client, bucket) == []


@pytest.mark.django_db
def test_healthz_checks_the_bucket(client, bucket, s3_client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
    assert _keys(s3_client, bucket) == []  # the probe file is gone again


@pytest.mark.django_db
def test_healthz_fails_when_the_bucket_is_missing(client, monkeypatch, settings, s3_endpoint):
    _s3_settings(monkeypatch, settings, s3_endpoint, f"missing-{uuid.uuid4().hex[:12]}")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "storage": "error"}


def test_s3_options_keep_the_bucket_private(monkeypatch):
    for name in ("AWS_S3_CUSTOM_DOMAIN", "MEDIA_S3_PREFIX", "AWS_QUERYSTRING_EXPIRE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://minio.example.org/")
    storage, media_url = s3_media("etalase-media")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "etalase-media"
    assert options["endpoint_url"] == "https://minio.example.org"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 3600
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert media_url == "https://minio.example.org/etalase-media/"


def test_s3_media_url_follows_custom_domain_or_aws(monkeypatch):
    monkeypatch.delenv("AWS_S3_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_S3_CUSTOM_DOMAIN", raising=False)
    assert s3_media("etalase-media")[1] == "https://etalase-media.s3.amazonaws.com/"
    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.etalase.example.org")
    assert s3_media("etalase-media")[1] == "https://media.etalase.example.org/"


def test_bucket_variable_switches_uploads_to_object_storage():
    backend, serve_media, media_url = _setting(
        "settings.STORAGES['default']['BACKEND'], settings.SERVE_MEDIA, settings.MEDIA_URL",
        MEDIA_S3_BUCKET="etalase-media",
        AWS_S3_ENDPOINT_URL="http://minio.internal:9000",
        SERVE_MEDIA="1",
    ).split()
    assert backend == "storages.backends.s3.S3Storage"
    assert serve_media == "False"  # the URLs point at the bucket
    assert media_url == "http://minio.internal:9000/etalase-media/"


def test_aws_bucket_name_is_accepted_too():
    bucket = _setting(
        "settings.STORAGES['default']['OPTIONS']['bucket_name']",
        AWS_STORAGE_BUCKET_NAME="etalase-media",
    )
    assert bucket == "etalase-media"


def test_without_a_bucket_uploads_stay_on_local_disk():
    backend = _setting("settings.STORAGES['default']['BACKEND']")
    assert backend == "django.core.files.storage.FileSystemStorage"


# --- Protected uploads: a signed URL only for whoever may see the file --------------------


@pytest.fixture
def protected(product, bucket, visitor_user, regency_user):
    """Note photos, a certificate and an import file, stored in the bucket."""
    from tests.protected_files import make_protected_files

    return make_protected_files(product, visitor_user, regency_user)


def _follow_signed(response, s3_endpoint, bucket, name):
    """The bucket URL a protected-file view redirected to, checked and fetched."""
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    url = response["Location"]
    assert url.startswith(f"{s3_endpoint}/{bucket}/{name}?")
    query = parse_qs(urlsplit(url).query)
    assert "X-Amz-Signature" in query or "Signature" in query
    # Short-lived (core.protected_files.PROTECTED_URL_SECONDS), not AWS_QUERYSTRING_EXPIRE:
    # SigV4 gives the lifetime, SigV2 the moment it ends.
    if "X-Amz-Expires" in query:
        assert query["X-Amz-Expires"] == ["60"]
    else:
        assert int(query["Expires"][0]) <= time.time() + 61
    return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - our local server


@pytest.mark.django_db
def test_certificate_view_redirects_readers_to_a_short_lived_signed_url(
    client, visitor_user, protected, s3_endpoint, bucket
):
    from tests.protected_files import PDF

    client.force_login(visitor_user)
    document = protected.certificate.document
    response = client.get(f"/files/certificates/{protected.certificate.pk}/")

    with _follow_signed(response, s3_endpoint, bucket, document.name) as answer:
        assert answer.read() == PDF
        # The bucket answers with the inert headers the signed URL asked for.
        assert answer.headers["Content-Type"] == "application/pdf"
        assert answer.headers["Content-Disposition"].startswith("attachment;")
        assert answer.headers["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_note_photo_view_signs_only_for_those_who_may_read_the_note(
    client, visitor_user, regency_user, protected, s3_endpoint, bucket, s3_client
):
    from core import roles
    from tests.conftest import _user

    photo = protected.private_photo
    client.force_login(visitor_user)  # the author
    response = client.get(f"/files/notes/{photo.pk}/thumbnail/")
    with _follow_signed(response, s3_endpoint, bucket, photo.thumbnail.name) as answer:
        assert answer.read() == _object_bytes(s3_client, bucket, photo.thumbnail.name)
        assert answer.headers["Content-Type"] == "image/jpeg"

    for other in (_user("visitor-b", roles.VISITOR), regency_user):
        client.force_login(other)
        for url in (f"/files/notes/{photo.pk}/", f"/files/notes/{photo.pk}/thumbnail/"):
            response = client.get(url)
            assert response.status_code == 404
            assert "Location" not in response


@pytest.mark.django_db
def test_import_file_view_signs_for_the_uploader_only(
    client, regency_user, staff_user, protected, s3_endpoint, bucket
):
    from tests.protected_files import CSV

    batch = protected.batch
    client.force_login(regency_user)
    response = client.get(f"/files/imports/{batch.pk}/")
    with _follow_signed(response, s3_endpoint, bucket, batch.file.name) as answer:
        assert answer.read() == CSV
        assert 'filename="produk-jember.csv"' in answer.headers["Content-Disposition"]

    client.force_login(staff_user)
    assert client.get(f"/files/imports/{batch.pk}/").status_code == 404


@pytest.mark.django_db
def test_pages_link_protected_files_to_their_views_not_to_signed_urls(
    client, staff_user, visitor_user, product, protected, bucket
):
    client.force_login(staff_user)
    for page in (f"/products/{product.code}/", f"/products/{product.code}/edit/"):
        html = client.get(page).content.decode()
        assert f'href="/files/certificates/{protected.certificate.pk}/"' in html
        assert f"{bucket}/certificates/" not in html
    html = client.get(f"/products/import/{protected.batch.pk}/").content.decode()
    assert f"{bucket}/imports/" not in html

    client.force_login(visitor_user)
    html = client.get(f"/visits/{protected.visit.pk}/").content.decode()
    photo = protected.private_photo
    assert f'src="/files/notes/{photo.pk}/thumbnail/"' in html
    assert f'href="/files/notes/{photo.pk}/"' in html
    assert f"{bucket}/notes/" not in html


@pytest.mark.django_db
def test_protected_files_are_streamed_when_the_storage_cannot_sign(
    client, visitor_user, monkeypatch, settings, s3_endpoint, bucket, protected
):
    """A custom domain without a CloudFront signer gives public URLs: stream instead."""
    from tests.protected_files import PDF

    monkeypatch.setenv("AWS_S3_CUSTOM_DOMAIN", "media.example.org")
    _s3_settings(monkeypatch, settings, s3_endpoint, bucket)
    client.force_login(visitor_user)
    response = client.get(f"/files/certificates/{protected.certificate.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_a_lookbook_built_by_a_job_is_kept_in_the_bucket_for_its_owner(
    client, staff_user, product, bucket, s3_client, s3_endpoint, settings
):
    """The lookbook job's file goes to the bucket under jobs/; its link signs a short-lived
    URL for the job's owner only, and the built printable page is read back from it."""
    from core import roles
    from core.jobs.models import Job
    from tests.conftest import _user

    settings.LOOKBOOK_JOB_ROWS = 0  # every list is a long one here
    client.force_login(staff_user)
    client.get("/products/export/?format=lookbook")
    client.get("/products/lookbook/")
    xlsx, html = Job.objects.order_by("pk")
    assert _keys(s3_client, bucket) == sorted([xlsx.file.name, html.file.name])
    assert all(job.file.name.startswith("jobs/") for job in (xlsx, html))

    response = client.get(f"/jobs/{xlsx.pk}/file/")
    with _follow_signed(response, s3_endpoint, bucket, xlsx.file.name) as answer:
        assert answer.read()[:2] == b"PK"
        assert answer.headers["Content-Disposition"].startswith("attachment;")
    page = client.get(html.result_url)
    assert page.status_code == 200 and b'data-testid="lookbook-cover"' in page.content

    client.force_login(_user("staff-other", roles.REGIONAL_STAFF))
    assert client.get(f"/jobs/{xlsx.pk}/file/").status_code == 404
    assert client.get(html.result_url).status_code == 404
