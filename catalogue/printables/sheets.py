"""Printable promotion sheets: one product on one A4 page, and lookbooks of a selection.

A sheet goes to TEC and Chinese buyers, so it is in Chinese first and English second
whatever the UI language: the labels are literal bilingual text in the template, and the
choice labels (unit, certification kind, status, …) are rendered in both languages from
the translation catalogues. It never shows the producer's phone, e-mail or NIB: TEC
contacts producers through Bakorwil V Jember.

The lookbook takes the product list's query string: the same list query
(``core.listing.ListQuery``) feeds the list, the spreadsheet export and this, so a lookbook
holds exactly the listed rows.
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.http import urlencode

from catalogue import access
from catalogue.models import Certification, ProductPhoto
from catalogue.presenters import certification_rows
from catalogue.printables import share_links
from catalogue.printables.qr import product_url, qr_svg
from catalogue.querysets import product_queryset
from core.localization import LocalizedText, text_in
from core.roles import allowed_if

SHEET_LANGUAGES = ("zh-hans", "en")
LOOKBOOK_LIMIT = 200
EXTRA_PHOTOS = 2  # besides the primary photo
# Descriptions are cut to keep a sheet on one page (a Chinese character is about twice as
# wide as a Latin letter).
DESCRIPTION_CHARS = {"zh": 150, "en": 300}


@dataclass(frozen=True)
class Both:
    """A text in Chinese and in English (shown once when they are the same)."""

    zh: str
    en: str

    @property
    def same(self):
        return self.zh == self.en


def both(value):
    """``value`` (a lazy translation, or a callable returning one) in Chinese and English."""
    texts = []
    for language in SHEET_LANGUAGES:
        with translation.override(language):
            texts.append(str(value() if callable(value) else value))
    return Both(*texts)


def grouped(number):
    """``1250000`` → ``1,250,000``: the sheet groups digits the same way in both languages."""
    return "" if number is None else f"{number:,}"


def sheet_queryset():
    """Products with everything a sheet prints: photos and certifications in 2 queries."""
    # The list's queryset, without its primary-thumbnail prefetch (sheets print full photos).
    return (
        product_queryset()
        .prefetch_related(None)
        .select_related("producer__district", "category__parent", "hs_code")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ProductPhoto.objects.order_by("-is_primary", "position", "pk"),
                to_attr="sheet_photos",
            ),
            Prefetch(
                "certifications",
                queryset=Certification.objects.order_by("kind", "-expires_on"),
                to_attr="sheet_certifications",
            ),
        )
    )


def _dimensions(product):
    sides = [product.length_cm, product.width_cm, product.height_cm]
    if not any(sides):
        return ""
    return " × ".join("?" if side is None else f"{side.normalize():f}" for side in sides) + " cm"


def _level(score):
    """The same bands as the app's readiness badge (core.templatetags.etalase.readiness)."""
    return "high" if score >= 75 else "mid" if score >= 50 else "low"


def _cut(text, limit):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class SheetText:
    """A buyer-read text for the sheet: for the Chinese reader, and for the English one
    when it differs. Each is a ``core.localization.LocalizedText``: a missing translation
    shows the fallback marked with its language, never Indonesian text as Chinese."""

    zh: LocalizedText
    en: LocalizedText | None


def sheet_text(product, stem, limit=None):
    texts = []
    for language in ("zh", "en"):
        shown = text_in(product, stem, language)
        if limit and shown.text:
            limit_here = limit[shown.language] if isinstance(limit, dict) else limit
            shown = LocalizedText(_cut(shown.text, limit_here), shown.language, language)
        texts.append(shown)
    zh, en = texts
    return SheetText(zh, None if en.text == zh.text else en)


# Text stems the sheet prints, with the characters each may take on the page.
SHEET_TEXTS = {
    "name": None,
    "description": DESCRIPTION_CHARS | {"id": DESCRIPTION_CHARS["en"]},
    "materials": 160,
    "packaging_description": 110,
    "storage_conditions": 160,
}


def sheet_data(product, today=None, public_path=""):
    """What one sheet shows (no queries: ``product`` comes from ``sheet_queryset``).

    ``public_path``: the product's page on a share link, where the QR code then leads.
    """
    photos = product.sheet_photos
    rows = certification_rows(product.sheet_certifications, today)
    url = settings.SITE_URL + public_path if public_path else product_url(product)
    weight = product.weight_kg
    return {
        "product": product,
        "primary": photos[0] if photos else None,
        "more_photos": photos[1 : 1 + EXTRA_PHOTOS],
        "unit": both(product.get_unit_display),
        "category": Both(*(product.category.localized_name(lang) for lang in SHEET_LANGUAGES)),
        "producer_kind": both(product.producer.get_kind_display),
        "packaging_status": both(product.get_packaging_status_display),
        "price": grouped(product.price_idr),
        "moq": grouped(product.moq),
        "capacity": grouped(product.capacity_per_month),
        "dimensions": _dimensions(product),
        "weight": f"{weight.normalize():f} kg" if weight else "",
        "readiness_level": _level(product.readiness_score),
        "is_food": product.profile == "food",
        "restricted_channel": product.profile == "tobacco",
        "texts": {stem: sheet_text(product, stem, limit) for stem, limit in SHEET_TEXTS.items()},
        "certifications": [
            {**row, "kind": both(row["cert"].get_kind_display)}
            for row in rows
            if row["state"] != "expired"
        ],
        "expired_certifications": sum(row["state"] == "expired" for row in rows),
        "url": url,
        "url_is_public": bool(public_path),
        "qr": qr_svg(url, title=url),
    }


def link_state(provider, token, products):
    """Which share link the QR codes of ``products`` open: ``(context, {code: public
    path})`` for the partial ``qr_link_form.html``, without its choices."""
    paths = provider.product_urls(token, products) if token else {}
    context = {
        "link_token": token if paths else "",
        "link_missing": len(products) - len(paths) if paths else 0,
        "link_unknown": bool(token) and not paths,
    }
    return context, paths


def qr_links(request, products):
    """The share link chosen with ``?link=`` for the QR codes of ``products``, with the
    choices the sheet offers: ``(context, {code: public path})``."""
    provider = share_links.provider()
    if provider is None:
        return {}, {}
    context, paths = link_state(provider, request.GET.get("link", ""), products)
    keep = [(k, v) for k, values in request.GET.lists() if k != "link" for v in values]
    context |= {
        "link_choices": provider.choices(request.user, products),
        "link_create_url": provider.create_url(request.user),
        "link_codes": [product.code for product in products],
        "link_keep": keep,
        "here": request.path + (f"?{urlencode(keep)}" if keep else ""),
    }
    return context, paths


@allowed_if(access.can_view_products)
def product_sheet(request, code):
    product = get_object_or_404(sheet_queryset(), code=code)
    links, paths = qr_links(request, [product])
    sheet = sheet_data(product, public_path=paths.get(product.code, ""))
    context = {"product": product, "sheet": sheet, "today": timezone.localdate()}
    return render(request, "catalogue/promotion_sheet.html", context | links)


def _chips_in(listing, language):
    """The active filters in words, in ``language``: [(label, value), …]."""
    with translation.override(language):
        return [(str(label), str(value)) for label, value, _url in listing.chips()]


def _counts(keys):
    """[(Both label, count), …], most frequent first, from ``(sort key, Both)`` pairs."""
    tally = Counter(keys)
    return [(label, n) for (_key, label), n in sorted(tally.items(), key=lambda i: -i[1])]


def cover_summary(listing, products, today):
    """The lookbook's first page: how many, which filters, by regency/category/status."""
    regencies = _counts(
        (p.producer.regency.code, Both(p.producer.regency.name, p.producer.regency.name))
        for p in products
    )
    categories = _counts(
        (p.category.slug, Both(*(p.category.localized_name(lang) for lang in SHEET_LANGUAGES)))
        for p in products
    )
    statuses = _counts((p.status, both(p.get_status_display)) for p in products)
    return {
        "count": len(products),
        "date": today,
        "filters_zh": _chips_in(listing, "zh-hans"),
        "filters_en": _chips_in(listing, "en"),
        # Bilingual table titles are sheet text, like the sheet's labels.
        "tables": [
            ("县/市", "Regency", regencies),
            ("类别", "Category", categories),
            ("推广状态", "Promotion status", statuses),
        ],
    }
