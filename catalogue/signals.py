"""Keep stored readiness current whenever one of its inputs changes."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from catalogue.models import Category, Certification, Product, ProductPhoto
from catalogue.services import (
    readiness_changed,
    refresh_completeness_many,
    refresh_readiness_many,
)


@receiver(post_save, sender=Product, dispatch_uid="readiness_product_saved")
def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        readiness_changed(instance.pk, instance)


@receiver(post_save, sender=ProductPhoto, dispatch_uid="readiness_photo_saved")
@receiver(post_delete, sender=ProductPhoto, dispatch_uid="readiness_photo_deleted")
@receiver(post_save, sender=Certification, dispatch_uid="readiness_cert_saved")
@receiver(post_delete, sender=Certification, dispatch_uid="readiness_cert_deleted")
def related_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    readiness_changed(instance.product_id)


@receiver(pre_save, sender=Category, dispatch_uid="readiness_category_before_save")
def remember_profile(sender, instance, raw=False, **kwargs):
    instance._profile_before_save = (
        Category.objects.filter(pk=instance.pk).values_list("profile", flat=True).first()
        if instance.pk and not raw
        else None
    )


@receiver(post_save, sender=Category, dispatch_uid="readiness_category_saved")
def category_saved(sender, instance, created=False, raw=False, **kwargs):
    """A category's profile decides which rules apply to all of its products."""
    if raw or created:
        return
    if getattr(instance, "_profile_before_save", instance.profile) != instance.profile:
        refresh_readiness_many(Product.objects.filter(category=instance))
        refresh_completeness_many(Product.objects.filter(category=instance))
