"""How products are classified: HS codes, the category tree (each category naming its
readiness profile) and free tags."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from catalogue.choices import ReadinessProfile
from core.localization import pick


class HSCode(models.Model):
    """Harmonized System 2022 chapters, headings and subheadings (``data/hs_SOURCE.txt``)."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    description = models.TextField(_("description"))
    parent = models.CharField(_("parent"), max_length=4, blank=True)
    level = models.PositiveSmallIntegerField(_("digits"), db_index=True)
    regional = models.BooleanField(
        _("typical of the region"),
        default=False,
        help_text=_("Listed in hs_selected.csv as typical of Bakorwil V's home industries."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("HS code")
        verbose_name_plural = _("HS codes")

    def __str__(self):
        return f"{self.dotted} {self.description[:80]}"

    @property
    def dotted(self):
        """``240210`` as ``2402.10``, the way it is written on customs papers."""
        return f"{self.code[:4]}.{self.code[4:]}" if self.level == 6 else self.code


class Category(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    profile = models.CharField(
        _("readiness profile"),
        max_length=10,
        choices=ReadinessProfile.choices,
        default=ReadinessProfile.GENERAL,
        help_text=_("Which China-readiness rules apply to products of this category."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.localized_name()

    def get_absolute_url(self):
        return reverse("product_list") + f"?category={self.slug}"

    def localized_name(self, language=None):
        return pick(self.name, self.name_en, self.name_zh, language)

    def descendant_ids(self):
        """This category's id and those of all categories below it (the tree is small)."""
        children = {}
        for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(pk)
        found, todo = [], [self.pk]
        while todo:
            pk = todo.pop()
            found.append(pk)
            todo.extend(children.get(pk, []))
        return found


class Tag(models.Model):
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.localized_name()

    def get_absolute_url(self):
        return reverse("product_list") + f"?tag={self.slug}"

    def localized_name(self, language=None):
        return pick(self.name, self.name_en, self.name_zh, language)
