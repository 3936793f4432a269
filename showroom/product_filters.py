"""What the showroom adds to the product list's filters: products viewed on a share link,
with inquiries, with samples, with orders (the funnel's steps, DESIGN.md "Dashboard").
Registered in ``ShowroomConfig.ready()`` through ``catalogue.filtersets``' registry."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from catalogue.filtersets import YES_NO
from showroom.choices import InquiryStatus
from showroom.models import Inquiry, ProductView, Sample


def viewed_rows():
    return ProductView.objects.filter(product_id=OuterRef("pk"))


def inquiry_rows():
    return Inquiry.products.through.objects.filter(product_id=OuterRef("pk"))


def order_rows():
    return inquiry_rows().filter(inquiry__status=InquiryStatus.ORDER)


def sample_rows():
    return Sample.objects.filter(product_id=OuterRef("pk"))


# Filter name → the rows whose existence it asks for.
STEPS = {
    "viewed": viewed_rows,
    "in_inquiry": inquiry_rows,
    "has_sample": sample_rows,
    "ordered": order_rows,
}
LABELS = {
    "viewed": _("Viewed on a share link"),
    "in_inquiry": _("With inquiries"),
    "has_sample": _("With samples"),
    "ordered": _("With orders"),
}


def _filter_of(rows):
    def filter_method(queryset, name, value):
        if value not in ("0", "1"):
            return queryset
        exists = Exists(rows())
        return queryset.filter(exists if value == "1" else ~exists)

    return filter_method


def product_filters():
    return {
        name: django_filters.ChoiceFilter(
            label=LABELS[name],
            choices=YES_NO[1:],
            method=_filter_of(rows),
            empty_label=_("Any"),
        )
        for name, rows in STEPS.items()
    }
