"""Keep stored readiness current whenever one of its inputs changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalogue.models import Certification, Product, ProductPhoto
from catalogue.services import refresh_readiness


@receiver(post_save, sender=Product, dispatch_uid="readiness_product_saved")
def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_readiness(instance)


@receiver(post_save, sender=ProductPhoto, dispatch_uid="readiness_photo_saved")
@receiver(post_delete, sender=ProductPhoto, dispatch_uid="readiness_photo_deleted")
@receiver(post_save, sender=Certification, dispatch_uid="readiness_cert_saved")
@receiver(post_delete, sender=Certification, dispatch_uid="readiness_cert_deleted")
def related_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    product = Product.objects.filter(pk=instance.product_id).select_related("category").first()
    if product is not None:
        refresh_readiness(product)
