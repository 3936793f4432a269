import datetime

import pytest
from django.core.management import call_command

from catalogue.models import Certification, Product


@pytest.mark.django_db
def test_refresh_readiness_catches_a_certification_that_expired(make_product):
    product = make_product(category="furnitur-kayu")
    Certification.objects.create(
        product=product, kind="svlk", expires_on=datetime.date.today() + datetime.timedelta(days=1)
    )
    product.refresh_from_db()
    assert "svlk" not in product.readiness_gaps
    # The certificate runs out without anybody touching the product.
    Certification.objects.filter(product=product).update(
        expires_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    call_command("refresh_readiness", stdout=open("/dev/null", "w"))  # noqa: SIM115
    refreshed = Product.objects.get(pk=product.pk)
    assert "svlk" in refreshed.readiness_gaps
    assert refreshed.readiness_score < product.readiness_score
