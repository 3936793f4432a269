"""What the buyers' pages show, built from the database in a fixed number of queries and
rendered without the request (so that the HTML can be cached and shared by every buyer).

Language: Chinese unless the URL says ``?lang=en`` or ``?lang=id``; every link and form on
the public pages carries the choice on (``lang_query``). No cookie, no session, no POST,
no JavaScript: WeChat's in-app browser follows plain links, and the cached page of each
language is one URL.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from catalogue.choices import ReadinessProfile
from catalogue.models import Certification, Product, ProductPhoto
from showroom.presenters import HTML_LANG, public_text
from showroom.public_photos import WIDTHS

# ``?lang=`` value → Django language code; Chinese first, the default.
PUBLIC_LANGUAGES = {"zh": "zh-hans", "en": "en", "id": "id"}
SWITCH_LABELS = {"zh": "中文", "en": "English", "id": "Bahasa Indonesia"}
DEFAULT_LANGUAGE = "zh-hans"


def public_language(request):
    """The Django language code of a public page: from ``?lang=``, else Chinese (whatever
    the browser's Accept-Language says: these pages are made for buyers in China)."""
    return PUBLIC_LANGUAGES.get(request.GET.get("lang", ""), DEFAULT_LANGUAGE)


def short_language(language):
    return next(short for short, code in PUBLIC_LANGUAGES.items() if code == language)


def lang_query(language):
    """The query string that keeps ``language`` on the next page ("" for Chinese)."""
    return "" if language == DEFAULT_LANGUAGE else f"?lang={short_language(language)}"


def photo_url(link, photo, width):
    return reverse("share_photo", args=[link.token, photo.pk, width])


def _photo(link, photo):
    if photo is None:
        return None
    return {
        "src": photo_url(link, photo, WIDTHS[0]),
        "large": photo_url(link, photo, WIDTHS[2]),
        "srcset": ", ".join(f"{photo_url(link, photo, w)} {w}w" for w in WIDTHS),
    }


def format_idr(value, language):
    grouped = f"{value:,}"
    return grouped.replace(",", ".") if language == "id" else grouped


def approx_cny(value, rate):
    """``value`` Rupiah in yuan at ``rate`` (IDR per CNY): whole yuan from 100 up."""
    cny = Decimal(value) / rate.idr_per_cny
    step = Decimal("1") if cny >= 100 else Decimal("0.01")
    return f"{cny.quantize(step, rounding=ROUND_HALF_UP):,}"


def _price(product, link, rate, language):
    if not link.show_prices or not product.price_idr:
        return None
    return {
        "idr": format_idr(product.price_idr, language),
        "cny": approx_cny(product.price_idr, rate) if rate else None,
    }


def _card(link, product, rate, language):
    photos = list(product.photos.all())
    return {
        "code": product.code,
        "name": public_text(product, "name", language),
        "photo": _photo(link, photos[0] if photos else None),
        "moq": product.moq,
        "lead_time_days": product.lead_time_days,
        "capacity_per_month": product.capacity_per_month,
        # English keeps the short unit ("20 pcs"); the others read "20 件", "20 buah".
        "unit": product.unit if language == "en" else product.get_unit_display(),
        "price": _price(product, link, rate, language),
        "regency": origin(product.producer.regency),
        "url": link.product_url(product.code) + lang_query(language),
    }


def _base_context(link, language, path):
    collection = link.collection
    short = short_language(language)
    return {
        "link": link,
        "language": language,
        "html_lang": HTML_LANG[short],
        "lang_query": lang_query(language),
        "collection_name": public_text(collection, "name", language),
        "collection_url": link.get_absolute_url() + lang_query(language),
        "switch": [
            {
                "label": label,
                "url": path + ("" if code == DEFAULT_LANGUAGE else f"?lang={key}"),
                "current": code == language,
                "lang": HTML_LANG[key],
            }
            for key, code in PUBLIC_LANGUAGES.items()
            for label in [SWITCH_LABELS[key]]
        ],
    }


def collection_items(link):
    """The link's collection's products in order, with producer, regency and photos."""
    return [
        item.product
        for item in link.collection.items.select_related(
            "product__producer__regency", "product__category"
        ).prefetch_related(Prefetch("product__photos", queryset=ProductPhoto.objects.all()))
    ]


def collection_context(link, language, rate, products, form):
    context = _base_context(link, language, link.get_absolute_url())
    context.update(
        {
            "intro": public_text(link.collection, "intro", language),
            "cards": [_card(link, product, rate, language) for product in products],
            "rate": rate if link.show_prices else None,
            "form": form,
            "form_action": link.get_absolute_url() + lang_query(language) + "#inquiry",
        }
    )
    return context


def product_in_collection(link, code):
    """The product of ``link``'s collection with ``code``, ready to show, or None."""
    today = timezone.localdate()
    return (
        Product.objects.filter(code=code, collection_items__collection_id=link.collection_id)
        .select_related("producer__regency", "category", "hs_code")
        .prefetch_related(
            "photos",
            Prefetch(
                "certifications",
                queryset=Certification.objects.filter(
                    Q(expires_on__isnull=True) | Q(expires_on__gte=today)
                ),
                to_attr="valid_certifications",
            ),
        )
        .first()
    )


def product_context(link, language, rate, product, form):
    context = _base_context(link, language, link.product_url(product.code))
    texts = {
        field: public_text(product, field, language)
        for field in ("name", "description", "materials", "packaging_description")
    }
    is_food = product.category.profile == ReadinessProfile.FOOD
    dimensions = [product.length_cm, product.width_cm, product.height_cm]
    context.update(
        {
            "product": product,
            "card": _card(link, product, rate, language),
            "texts": texts,
            "category": public_text(product.category, "name", language),
            "photos": [_photo(link, photo) for photo in product.photos.all()],
            "dimensions": " × ".join(f"{d.normalize():f}" for d in dimensions if d is not None),
            "weight": f"{product.weight_kg.normalize():f}" if product.weight_kg else "",
            "is_food": is_food,
            "storage": public_text(product, "storage_conditions", language) if is_food else None,
            "certifications": [
                {"kind": c.get_kind_display(), "issuer": c.issuer, "expires_on": c.expires_on}
                for c in product.valid_certifications
            ],
            "rate": rate if link.show_prices else None,
            "form": form,
            "form_action": link.product_url(product.code) + lang_query(language) + "#inquiry",
        }
    )
    return context


def render_public(template, context, language):
    """Render a public page in ``language``, without the request (nothing per visitor).

    ``context``: a dict, or a function that builds it (called in ``language``, so that
    choice labels and other lazy texts come out in it)."""
    with translation.override(language):
        return render_to_string(
            f"showroom/public/{template}", context() if callable(context) else context
        )


def origin(regency):
    """Where a product comes from, in the page's language: "Jember Regency"."""
    name = regency.name.removeprefix("Kabupaten ").removeprefix("Kota ")
    if regency.kind == "kota":
        return gettext("%(name)s City") % {"name": name}
    return gettext("%(name)s Regency") % {"name": name}
