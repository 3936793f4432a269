"""A small TEC visit: two stops in Jember and one in Banyuwangi, products at each."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from visits.models import Visit, VisitNote, VisitStop


def jpeg_upload(name="photo.jpg", size=(800, 600), colour=(200, 120, 40), gps=False):
    image = Image.new("RGB", size, colour)
    params = {}
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "PhoneMaker"
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "S"
        info[ExifTags.GPS.GPSLatitude] = (8.0, 10.0, 12.5)
        params["exif"] = exif
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **params)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def at(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def visit(db, make_producer, make_product, visitor_user):
    today = timezone.localdate()
    visit = Visit.objects.create(
        title="TEC visit",
        start_date=today,
        end_date=today + timedelta(days=1),
        member_names="Chen Jing (TEC)",
    )
    visit.members.add(visitor_user)
    drum = make_producer("35.09", "35.09.24", name="UD Drum Pakusari")
    cigar = make_producer("35.09", name="Cerutu Jember")
    batik = make_producer("35.10", name="Batik Gajah Oling")
    visit.drum_chair = make_product(drum, "furnitur-logam", name_id="Kursi drum")
    visit.drum_table = make_product(drum, "furnitur-logam", name_id="Meja drum")
    visit.cigar = make_product(cigar, name_id="Cerutu robusto")
    visit.batik = make_product(batik, "batik", name_id="Batik tulis")
    visit.stop_drum = VisitStop.objects.create(
        visit=visit, producer=drum, position=1, planned_at=at(today, 8, 30)
    )
    visit.stop_cigar = VisitStop.objects.create(
        visit=visit, producer=cigar, position=2, planned_at=at(today, 10, 30)
    )
    visit.stop_batik = VisitStop.objects.create(
        visit=visit, producer=batik, position=3, planned_at=at(today + timedelta(days=1), 9)
    )
    return visit


@pytest.fixture
def make_note(visit, visitor_user):
    def make(author=None, stop=None, product=None, **fields):
        stop = stop or visit.stop_drum
        fields.setdefault("text", "Bagus sekali")
        return VisitNote.objects.create(
            visit=visit,
            stop=stop,
            producer=stop.producer,
            product=product,
            author=author or visitor_user,
            **fields,
        )

    return make
