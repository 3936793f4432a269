"""QR codes drawn locally with segno, as inline SVG: no network, no image files.

The promotion sheet prints one that opens the product's page, so that TEC staff holding
the paper reach the live record (photos, notes, current readiness) in one scan.
"""

import segno
from django.conf import settings
from django.utils.safestring import mark_safe

# Error correction "M" (15 %) survives a smudged or folded printout; the quiet zone of
# 2 modules is enough on white paper.
ERROR_CORRECTION = "m"
BORDER = 2


def product_url(product):
    """The product page's absolute URL, as printed on paper (``SITE_URL`` + path)."""
    return settings.SITE_URL + product.get_absolute_url()


def qr_svg(data, title=""):
    """``data`` as a QR code in an ``<svg>`` that scales to its container (viewBox only).

    ``title`` becomes the SVG's ``<title>`` (segno escapes it), read by screen readers.
    """
    code = segno.make(data, error=ERROR_CORRECTION, micro=False)
    svg = code.svg_inline(
        border=BORDER,
        omitsize=True,
        svgclass="qr-code",
        lineclass="qr-line",
        title=title or None,
    )
    return mark_safe(svg)  # noqa: S308 (segno's own markup; the title is escaped by segno)
