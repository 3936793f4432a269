"""Records that carry protected uploads (``core.protected_files``), for the tests of
who may download them: a private and a shared note photo, a certificate document and an
import file."""

from datetime import date
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from catalogue.models import Certification, ImportBatch
from tests.catalogue.test_product_edit import jpeg
from visits.models import Visit, VisitNote, VisitNotePhoto

PDF = b"%PDF-1.4\n% certificate of the drum chair\n%%EOF\n"
CSV = b"code,name_id\nJBR-0001,Kursi drum\n"


def make_protected_files(product, author, uploader):
    """``author`` (a visitor) writes a private and a shared note with one photo each about
    ``product``'s producer; ``product`` gets a certificate with a PDF; ``uploader`` uploads
    an import spreadsheet."""
    producer = product.producer
    visit = Visit.objects.create(
        title="TEC", start_date=date(2026, 3, 19), end_date=date(2026, 3, 20)
    )

    def note_with_photo(visibility, seed):
        note = VisitNote.objects.create(
            visit=visit,
            producer=producer,
            author=author,
            text=f"Catatan {visibility}",
            visibility=visibility,
        )
        return VisitNotePhoto.objects.create(note=note, image=jpeg(seed=seed))

    certificate = Certification.objects.create(
        product=product,
        kind="svlk",
        number="VL-1",
        document=SimpleUploadedFile("svlk.pdf", PDF, content_type="application/pdf"),
    )
    batch = ImportBatch(user=uploader, original_name="produk-jember.csv")
    batch.file.save("produk-jember.csv", ContentFile(CSV), save=True)
    return SimpleNamespace(
        visit=visit,
        private_photo=note_with_photo("private", seed=1),
        shared_photo=note_with_photo("shared", seed=2),
        certificate=certificate,
        batch=batch,
    )
