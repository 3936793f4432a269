"""What the showroom adds to the catalogue's product page: the product's funnel counts and
its latest inquiries and samples, only those the page's user may read (``showroom.access``).

The catalogue does not import the showroom; ``catalogue/product_detail.html`` loads this
library instead: ``{% load showroom_product %}{% product_showroom product as showroom %}``.
"""

from django import template
from django.urls import reverse

from showroom import access
from showroom.funnel import product_counts
from showroom.models import Inquiry, Sample

register = template.Library()
LATEST = 5


@register.simple_tag(takes_context=True)
def product_showroom(context, product):
    user = context["request"].user
    inquiries = access.visible_inquiries(user, Inquiry.objects.all())
    samples = access.visible_samples(user, Sample.objects.all())
    may_inquiries, may_samples = access.can_view_inquiries(user), access.can_view_samples(user)
    return {
        "counts": product_counts(product, inquiries, samples),
        "may_see_inquiries": may_inquiries,
        "may_see_samples": may_samples,
        "may_add_sample": access.can_send_sample_of(user, product),
        "inquiries": list(
            inquiries.filter(products=product).select_related("owner")[:LATEST]
            if may_inquiries
            else []
        ),
        "samples": list(samples.filter(product=product)[:LATEST] if may_samples else []),
        "inquiries_url": f"{reverse('inquiry_list')}?product={product.code}",
        "samples_url": f"{reverse('sample_list')}?product={product.code}",
        "new_sample_url": f"{reverse('sample_create')}?product={product.code}",
    }
