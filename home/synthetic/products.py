"""Synthetic products: a line of the category, figures as complete as the status
suggests, certificates, tags, and readiness computed as the signal would."""

from datetime import timedelta
from decimal import Decimal

from catalogue.completeness import apply as apply_completeness
from catalogue.models import Certification, Product
from catalogue.readiness import assess, facts_for
from home.synthetic.figures import between, log_between, nice_int, round_price
from home.synthetic.lines import lines_for
from home.synthetic.vocabulary import (
    CERTIFICATES,
    NOT_SUITABLE_REASONS,
    PACKAGING,
    STATUS_WEIGHTS,
    TRANSLATIONS,
)


class ProductMaker:
    """The product half of ``CatalogueGenerator``: uses its ``product_rng``, ``now``,
    ``today``, ``route``, ``count``, ``batch_size``, ``producers`` (and their categories and
    weights), ``regencies``, ``districts``, ``tags``, ``next_product``, ``log`` and
    ``summary``."""

    def _pick_producer_and_category(self, index):
        rng = self.product_rng
        producers = self.producers
        if index < len(self.categories):
            # The first products cover every leaf category once.
            position = index % len(producers)
            category = self.categories[index]
            if category not in self.producer_categories[position]:
                self.producer_categories[position].append(category)
        elif index < len(producers):
            position = index  # ... and every producer gets at least one product
            category = rng.choice(self.producer_categories[position])
        else:
            position = rng.choices(range(len(producers)), cum_weights=self.producer_weights)[0]
            category = rng.choice(self.producer_categories[position])
        return producers[position], category

    def _certificates(self, product, profile, regency, completeness):
        rng = self.product_rng
        wanted = [
            entry
            for entry in CERTIFICATES.get(profile, [])
            if rng.random() < entry[1] * (0.5 + completeness)
        ]
        if profile == "food" and rng.random() < 0.9 * completeness + 0.1:
            # Food permit: SPP-IRT for home-made low-risk food, BPOM MD otherwise (BPOM 4/2024).
            if rng.random() < 0.75:
                wanted.append(("spp_irt", 1, 5, f"DPMPTSP {regency.short_name}"))
            else:
                wanted.append(("bpom_md", 1, 5, "BPOM RI"))
        certificates = []
        for kind, _chance, years, issuer in wanted:
            if years is None:
                issued = self.today - timedelta(days=rng.randint(30, 1500))
                expires = None
            else:
                issued = self.today - timedelta(days=rng.randint(10, int(years * 365 * 1.3)))
                expires = issued + timedelta(days=years * 365)
            certificates.append(
                Certification(
                    product=product,
                    kind=kind,
                    number=self._certificate_number(kind, regency, issued),
                    issuer=issuer,
                    issued_on=issued,
                    expires_on=expires,
                    created_at=product.created_at,
                    updated_at=product.created_at,
                )
            )
        return certificates

    def _certificate_number(self, kind, regency, issued):
        rng = self.product_rng
        digits = rng.randrange(10**9)
        region = regency.code.replace(".", "")
        return {
            "halal": f"ID{region}{digits:09d}{issued:%m%y}",
            "gacc": f"CIDN{digits:010d}",
            "spp_irt": f"{rng.randint(1, 9)}{rng.randrange(100):02d}{region}{digits % 10**8:08d}",
            "bpom_md": f"BPOM RI MD {digits:012d}",
            "svlk": f"VLK-{digits % 10**5:05d}/{issued:%Y}",
            "ispm15": f"ID-{digits % 10**4:04d} HT",
        }.get(kind, f"{kind.upper()}-{issued:%Y}-{digits % 10**6:06d}")

    def _product(self, index, photo_count):
        rng = self.product_rng
        producer, category = self._pick_producer_and_category(index)
        regency = self.regencies[producer.regency_id]
        district_name = self.district_names[producer.district_id]
        profile = category.profile
        line = rng.choice(lines_for(category))
        variant = rng.choice(line.variants)
        status = rng.choices(self.statuses, self.status_weights)[0]
        completeness = STATUS_WEIGHTS[status][1]

        def likely(share):
            return rng.random() < share

        name_id = f"{line.name[0]} {variant[0]}".strip()
        name_en = f"{variant[1]} {line.name[1]}".strip()
        name_zh = f"{variant[2]}{line.name[2]}"
        if likely(0.35):
            name_id += f" {district_name}"
            name_en += f" from {district_name}"
        if not likely(0.3 + 0.7 * completeness):
            name_en = ""
        if not likely(0.1 + 0.8 * completeness):
            name_zh = ""
        materials = line.materials.format(v=variant[0].lower() or line.name[0].lower())
        price = round_price(log_between(rng, *line.price))
        capacity = nice_int(log_between(rng, *line.capacity))
        size = line.size
        dims = (
            [Decimal(f"{d * rng.uniform(0.8, 1.25):.1f}") for d in size]
            if size and likely(0.4 + 0.6 * completeness)
            else [None, None, None]
        )
        created = self.start + timedelta(seconds=(index + rng.random()) * self.step)
        updated = created + (self.now - created) * rng.random() ** 2
        packaging_status = rng.choices(
            ("not_assessed", "needs_improvement", "export_ready"),
            (1.2 - completeness, 0.6, completeness * 1.2),
        )[0]
        if profile == "wood" or category.slug.startswith("furnitur"):
            wood_packaging = rng.choices(("none", "treated", "untreated"), (4, 4, 2))[0]
        else:
            wood_packaging = "untreated" if likely(0.03) else "none"
        is_food = profile == "food"
        storage = line.storage if line.storage and likely(0.5 + 0.5 * completeness) else ""
        packaging = (
            rng.choice(PACKAGING.get(profile, PACKAGING["general"]))
            if packaging_status != "not_assessed" or likely(0.3)
            else ""
        )
        # Translated along with the name: a product translated at all has these too.
        storage_en, storage_zh = TRANSLATIONS.get(storage, ("", ""))
        packaging_en, packaging_zh = TRANSLATIONS.get(packaging, ("", ""))
        product = Product(
            code=self._product_code(regency),
            producer=producer,
            regency_id=producer.regency_id,  # kept on the product (catalogue.Product.regency)
            category=category,
            name_id=name_id,
            name_en=name_en,
            name_zh=name_zh,
            description_id=f"{name_id} buatan {producer.name}, {district_name}, "
            f"{regency.short_name}. Bahan: {materials}.",
            description_en=f"{name_en}, made by {producer.name} in {district_name}, "
            f"{regency.short_name}, East Java."
            if name_en
            else "",
            description_zh=f"{name_zh}，产自印度尼西亚东爪哇省{regency.short_name}。"
            if name_zh
            else "",
            materials_id=materials,
            length_cm=dims[0],
            width_cm=dims[1],
            height_cm=dims[2],
            weight_kg=Decimal(f"{between(rng, *line.weight):.3f}")
            if likely(0.5 + 0.5 * completeness)
            else None,
            unit=line.unit,
            price_idr=price if likely(0.6 + 0.4 * completeness) else None,
            moq=nice_int(log_between(rng, *line.moq)) if likely(0.4 + 0.6 * completeness) else None,
            capacity_per_month=capacity if likely(0.5 + 0.5 * completeness) else None,
            lead_time_days=rng.randint(*line.lead) if likely(0.4 + 0.6 * completeness) else None,
            hs_code_id=line.hs if likely(0.3 + 0.7 * completeness) else None,
            # Food always carries its shelf life (Product.clean requires it).
            shelf_life_days=rng.randint(*line.shelf)
            if line.shelf and (is_food or likely(0.8))
            else None,
            storage_conditions_id=storage,
            storage_conditions_en=storage_en if name_en else "",
            storage_conditions_zh=storage_zh if name_zh else "",
            packaging_description_id=packaging,
            packaging_description_en=packaging_en if name_en else "",
            packaging_description_zh=packaging_zh if name_zh else "",
            packaging_status=packaging_status,
            wood_packaging=wood_packaging,
            label_status=rng.choices(
                ("none", "draft", "compliant"), (1 - completeness, 0.5, completeness)
            )[0]
            if is_food
            else "none",
            importer_known=is_food and likely(completeness * 0.6),
            batch_coding=is_food and likely(0.2 + 0.7 * completeness),
            gacc_route=rng.choice(("recommended", "self_registered"))
            if is_food and likely(completeness * 0.8)
            else "",
            origin_criterion=(
                "wo"
                if profile in ("agri", "tobacco") and line.unit == "kg"
                else rng.choice(("rvc40", "cth"))
            )
            if likely(0.1 + 0.8 * completeness)
            else "",
            status=status,
            not_suitable_reason=rng.choice(NOT_SUITABLE_REASONS)
            if status == "not_suitable"
            else "",
            created_at=created,
            updated_at=updated,
        )
        certificates = self._certificates(product, profile, regency, completeness)
        assessment = assess(facts_for(product, photo_count, certificates, self.today), self.route)
        product.readiness_score, product.readiness_gaps = assessment.score, assessment.gaps
        apply_completeness(product)  # bulk_create does not call save()
        tags = rng.sample(self.tags, rng.randint(1, 3)) if likely(0.35) else []
        return product, certificates, tags

    def _product_code(self, regency):
        prefix = f"{regency.abbreviation}-"
        number = self.next_product[prefix]
        self.next_product[prefix] = number + 1
        return f"{prefix}{number:04d}"

    def _make_products(self, photo_counts):
        self.district_names = {
            d.pk: d.name for districts in self.districts.values() for d in districts
        }
        self.statuses = list(STATUS_WEIGHTS)
        self.status_weights = [share for share, _ in STATUS_WEIGHTS.values()]
        # Creation times run over the last two years, in code order.
        self.start = self.now - timedelta(days=730)
        self.step = timedelta(days=730).total_seconds() / self.count
        to_photograph = []
        through = Product.tags.through
        for first in range(0, self.count, self.batch_size):
            products, certificates, links = [], [], []
            for index in range(first, min(first + self.batch_size, self.count)):
                product, product_certificates, tags = self._product(
                    index, photo_counts.get(index, 0)
                )
                products.append(product)
                certificates.extend(product_certificates)
                links.extend((product, tag) for tag in tags)
            Product.objects.bulk_create(products, batch_size=self.batch_size)
            # Keep only what the photos need, not the batch's objects.
            to_photograph.extend(
                (p.pk, p.code, p.name_en or p.name_id, p.name_id, p.category.profile)
                for index, p in enumerate(products, start=first)
                if index in photo_counts
            )
            Certification.objects.bulk_create(certificates, batch_size=self.batch_size)
            through.objects.bulk_create(
                [through(product_id=p.pk, tag_id=t.pk) for p, t in links],
                batch_size=self.batch_size,
            )
            self.summary.products += len(products)
            self.summary.certifications += len(certificates)
            self.summary.tag_links += len(links)
            self._progress()
        return to_photograph
