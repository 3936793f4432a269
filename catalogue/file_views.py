"""Uploaded files of the catalogue, each behind the rule of the page that shows it.

Certificate documents go to whoever may see the product's certifications; an import's
spreadsheet to whoever may open its preview. Everything else is a 404, as for a missing
file (``core.protected_files``).
"""

from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from catalogue import access
from catalogue.models import Certification, ImportBatch
from core.protected_files import protected_file_response
from core.roles import role_required


@require_safe
@role_required
def certificate_document(request, pk):
    certifications = access.visible_certifications(request.user, Certification.objects.all())
    certification = get_object_or_404(
        certifications.select_related("product").only("document", "kind", "product__code"),
        pk=pk,
    )
    # Downloaded as e.g. "JBR-0001-svlk.pdf" rather than under its random stored name.
    suffix = PurePosixPath(certification.document.name).suffix
    filename = f"{certification.product.code}-{certification.kind}{suffix}"
    return protected_file_response(certification.document, filename=filename)


@require_safe
@role_required
def import_file(request, pk):
    if not access.can_import(request.user):
        raise PermissionDenied
    batch = get_object_or_404(access.visible_imports(request.user, ImportBatch.objects), pk=pk)
    return protected_file_response(batch.file, filename=batch.original_name)
