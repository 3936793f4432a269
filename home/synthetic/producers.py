"""Synthetic producers: a name that fits their kind, a district taken in turn so that all
146 are covered, contact details, a NIB and a size."""

import itertools
import math
from datetime import timedelta
from decimal import Decimal

from catalogue.models import Producer
from home.synthetic.figures import log_between, nice_int
from home.synthetic.vocabulary import (
    CENTRES,
    FIRST_NAMES,
    KIND_WEIGHTS,
    LAST_NAMES,
    NAME_WORDS,
    PHONE_PREFIXES,
    SPECIALTIES,
    STREETS,
    TRADE_WORDS,
    VILLAGE_HEADS,
    VILLAGE_TAILS,
)


class ProducerMaker:
    """The producer half of ``CatalogueGenerator``: uses its ``rng``, ``now``,
    ``regencies``, ``districts``, ``categories``, ``next_producer`` and ``used_nibs``, and
    leaves ``producers``, ``producer_categories`` and ``producer_weights``."""

    def _district_order(self):
        """Districts interleaved across regencies: the first 7 cover every regency, the
        first 146 every district; producers take them in this order, round and round."""
        rng = self.rng
        queues = []
        for regency_id in sorted(self.districts, key=lambda pk: self.regencies[pk].code):
            districts = list(self.districts[regency_id])
            rng.shuffle(districts)
            queues.append(districts)
        order = []
        while any(queues):
            for queue in queues:
                if queue:
                    order.append(queue.pop())
        return order

    def _nib(self):
        while True:
            nib = f"{self.rng.choice('1289')}{self.rng.randrange(10**12):012d}"
            if nib not in self.used_nibs:
                self.used_nibs.add(nib)
                return nib

    def _phone(self):
        rng = self.rng
        return f"0{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7, 10**8)}"

    def _producer_name(self, kind, category, district, regency):
        rng = self.rng
        words = " ".join(rng.sample(NAME_WORDS, 2))
        trade = TRADE_WORDS.get(category.slug, "")
        if kind == "smk":
            return f"SMK Negeri {rng.randint(1, 8)} {district.name}"
        if kind == "state_company":
            return f"PT Perkebunan Nusantara, Kebun {district.name}"
        if kind == "cooperative":
            return f"{rng.choice(('Koperasi', 'KUD', 'Koperasi Produsen'))} {trade} {words}"
        if kind == "company":
            return f"PT {words} {rng.choice((trade, 'Indonesia', regency.short_name))}"
        prefix = rng.choice(("UD", "CV", "UMKM") if kind == "sme" else ("UD", "IRT", "Griya"))
        return f"{prefix} {words}" + (f" {trade}" if rng.random() < 0.5 else "")

    def _make_producers(self):
        rng = self.rng
        count = max(7, math.ceil(self.count / 20))
        districts = self._district_order()
        kinds = list(KIND_WEIGHTS)
        kind_weights = list(KIND_WEIGHTS.values())
        producers, self.producer_categories = [], []
        for index in range(count):
            district = districts[index % len(districts)]
            regency = self.regencies[district.regency_id]
            specialties = SPECIALTIES.get(regency.code, set())
            category = rng.choices(
                self.categories, [4 if c.slug in specialties else 1 for c in self.categories]
            )[0]
            categories = [category]
            if rng.random() < 0.3:
                categories.append(rng.choice(self.categories))
            # The first producers take every kind in turn so that all kinds are present.
            kind = kinds[index] if index < len(kinds) else rng.choices(kinds, kind_weights)[0]
            if index >= len(kinds) and category.profile == "tobacco" and rng.random() < 0.2:
                kind = "state_company"  # the PTPN cigar and leaf plants of Jember
            prefix = f"P-{regency.abbreviation}-"
            number = self.next_producer[prefix]
            self.next_producer[prefix] += 1
            name = self._producer_name(kind, category, district, regency)
            lat, lon, spread = CENTRES.get(regency.code, (None, None, 0))
            has_position = lat is not None and rng.random() < 0.6
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            phone = self._phone()
            created = self.now - timedelta(days=730 + rng.uniform(0, 365))
            village = f"{rng.choice(VILLAGE_HEADS)}{rng.choice(VILLAGE_TAILS)}"
            exported = rng.random() < (0.5 if kind in ("company", "state_company") else 0.08)
            producers.append(
                Producer(
                    code=f"{prefix}{number:03d}",
                    name=name,
                    kind=kind,
                    regency_id=regency.pk,
                    district_id=district.pk,
                    village=village,
                    address=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 250)}, Desa {village}",
                    latitude=Decimal(f"{lat + rng.uniform(-spread, spread):.6f}")
                    if has_position
                    else None,
                    longitude=Decimal(f"{lon + rng.uniform(-spread, spread):.6f}")
                    if has_position
                    else None,
                    contact_person=person,
                    phone=phone,
                    whatsapp=phone if rng.random() < 0.8 else "",
                    email=f"{person.split()[0].lower()}.{number}@example.id"
                    if rng.random() < 0.4
                    else "",
                    nib=self._nib() if kind != "home_industry" or rng.random() < 0.5 else "",
                    year_founded=rng.randint(1975, 2023),
                    workers=nice_int(
                        log_between(
                            rng,
                            *{
                                "state_company": (200, 1500),
                                "company": (20, 300),
                                "cooperative": (10, 200),
                            }.get(kind, (2, 40)),
                        )
                    ),
                    has_exported=exported,
                    export_experience="Pernah mengirim sampel dan pesanan kecil ke luar negeri."
                    if exported
                    else "",
                    description_id=f"{name}, {district.name}, {regency.short_name}.",
                    created_at=created,
                    updated_at=created + timedelta(days=rng.uniform(0, 700)),
                )
            )
            self.producer_categories.append(categories)
        Producer.objects.bulk_create(producers, batch_size=self.batch_size)
        self.producers = producers
        # Producers differ in size: some make ten times as many products as others.
        self.producer_weights = list(
            itertools.accumulate(rng.lognormvariate(0, 0.9) for _ in producers)
        )
        self.summary.producers = len(producers)
