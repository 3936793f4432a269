"""``generate_catalogue``: loads the reference data, makes producers, then products in
batches, then photos, all in one transaction (see the package docstring)."""

import os
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone

from catalogue.models import (
    Category,
    Certification,
    HSCode,
    Producer,
    Product,
    ProductPhoto,
    Tag,
)
from catalogue.readiness import route_settings
from home.drawing import draw_product_photo
from home.synthetic.lines import lines_for
from home.synthetic.producers import ProducerMaker
from home.synthetic.products import ProductMaker
from home.synthetic.vocabulary import TAGS
from regions.models import District, Regency

PHOTO_SIZE = (480, 360)
DEFAULT_BATCH = 2000


@dataclass
class Summary:
    products: int = 0
    producers: int = 0
    certifications: int = 0
    photos: int = 0
    photographed_products: int = 0
    tag_links: int = 0
    seconds: float = 0.0

    def __str__(self):
        return (
            f"Created {self.products} products, {self.producers} producers, "
            f"{self.certifications} certifications, {self.photos} photos "
            f"(on {self.photographed_products} products) and {self.tag_links} tag links "
            f"in {self.seconds:.1f} s."
        )


@contextmanager
def keep_given_timestamps(*models):
    """Let bulk_create store the ``created_at``/``updated_at`` values we set.

    ``bulk_create`` calls ``pre_save(add=True)`` on every field, so ``auto_now`` and
    ``auto_now_add`` would overwrite our spread-out timestamps with "now". A follow-up
    UPDATE would cost a second write per row; switching the flags off for the duration of
    the inserts costs nothing. The flags live on the model fields, so this affects every
    thread of the process until exit restores them: fine for a management command or a
    test, not for code running inside a web server.
    """
    switched = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def next_numbers(model, prefixes):
    """Per prefix, the number after the highest numeric code, as ``next_code`` counts."""
    numbers = {}
    for prefix in prefixes:
        last = (
            model.objects.filter(code__regex=f"^{prefix}[0-9]+$")
            .annotate(code_length=Length("code"))
            .order_by("-code_length", "-code")
            .values_list("code", flat=True)
            .first()
        )
        numbers[prefix] = int(last[len(prefix) :]) + 1 if last else 1
    return numbers


def resident_mb():
    """Resident memory of this process now (Linux ``/proc/self/statm``; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except (OSError, ValueError):
        return 0.0


def leaf_categories():
    return list(Category.objects.filter(children__isnull=True).order_by("slug"))


class CatalogueGenerator(ProducerMaker, ProductMaker):
    def __init__(self, products, seed=1, photos=None, batch_size=DEFAULT_BATCH, log=None):
        if products < 1:
            raise ValueError("products must be at least 1")
        self.count = products
        self.seed = seed
        self.photos = min(products, 200) if photos is None else max(0, min(photos, products))
        self.batch_size = batch_size
        self.log = log or (lambda message: None)
        self.rng = random.Random(f"{seed}:producers")
        self.product_rng = random.Random(f"{seed}:products")
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.route = route_settings()
        self.summary = Summary()
        self.started = time.perf_counter()
        self.reported = 0.0

    # Reference data -----------------------------------------------------------------

    def _load_reference(self):
        self.regencies = {r.pk: r for r in Regency.objects.order_by("code")}
        if len(self.regencies) == 0:
            raise RuntimeError("No regencies: run migrate first.")
        self.districts = {}
        for district in District.objects.order_by("code"):
            self.districts.setdefault(district.regency_id, []).append(district)
        self.categories = leaf_categories()
        if not self.categories:
            raise RuntimeError("No categories: run migrate first.")
        known = set(HSCode.objects.filter(level=6).values_list("code", flat=True))
        missing = {
            line.hs for c in self.categories for line in lines_for(c) if line.hs not in known
        }
        if missing:
            raise RuntimeError(f"HS codes missing from the HS list: {sorted(missing)}")
        self.tags = [Tag.objects.get_or_create(slug=s, defaults={"name": n})[0] for s, n in TAGS]
        prefixes = [r.abbreviation for r in self.regencies.values()]
        self.next_producer = next_numbers(Producer, [f"P-{p}-" for p in prefixes])
        self.next_product = next_numbers(Product, [f"{p}-" for p in prefixes])
        self.used_nibs = set(Producer.objects.exclude(nib="").values_list("nib", flat=True))

    def _progress(self):
        """One line per batch (at most one every 2 s, and the last): products done of
        the total, rate and resident memory, which stays flat as batches are dropped."""
        now = time.perf_counter()
        done = self.summary.products
        if done < self.count and now - self.reported < 2:
            return
        self.reported = now
        seconds = now - self.started
        self.log(
            f"{done:,} of {self.count:,} products ({100 * done / self.count:.0f} %), "
            f"{done / max(seconds, 1e-9):,.0f}/s, {seconds:.0f} s, RSS {resident_mb():.0f} MB"
        )

    # Photos -------------------------------------------------------------------------

    def _photo_counts(self):
        """Which products get photos, and how many (1 or 2): a separate random stream, so
        that ``--photos`` changes nothing else."""
        rng = random.Random(f"{self.seed}:photos")
        chosen = sorted(rng.sample(range(self.count), self.photos))
        return {index: rng.choice((1, 2, 2)) for index in chosen}

    def _add_photos(self, to_photograph, photo_counts):
        """Saved one by one through ``ProductPhoto.save`` so that thumbnails are made. The
        photo signal recomputes readiness after each photo; after the last one it is back
        at the value computed up front with the final photo count."""
        for index, (pk, code, title, caption, profile) in zip(
            sorted(photo_counts), to_photograph, strict=True
        ):
            for view in range(photo_counts[index]):
                ProductPhoto(
                    product_id=pk,
                    image=draw_product_photo(
                        title, profile, seed=f"{self.seed}-{code}", size=PHOTO_SIZE, view=view
                    ),
                    caption=caption,
                    position=view,
                    is_primary=view == 0,
                ).save()
                self.summary.photos += 1
            self.summary.photographed_products += 1

    def run(self):
        started = self.started = time.perf_counter()
        photo_counts = self._photo_counts()
        with transaction.atomic():
            self._load_reference()
            with keep_given_timestamps(Producer, Product, Certification):
                self._make_producers()
                to_photograph = self._make_products(photo_counts)
            self._add_photos(to_photograph, photo_counts)
        self.summary.seconds = time.perf_counter() - started
        return self.summary


def generate_catalogue(products, seed=1, photos=None, batch_size=DEFAULT_BATCH, log=None):
    """Add ``products`` synthetic products (see the module docstring); returns a Summary."""
    return CatalogueGenerator(products, seed, photos, batch_size, log).run()
