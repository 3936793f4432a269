"""``python manage.py seed_demo``: the founding story as demo data, safe to run again.

Loads the reference data (regions, HS codes, categories, role groups), the demo users
``admin``, ``staff``, ``regency`` and ``visitor``, and the producers, products, photos,
certifications, status history, visits, notes and follow-ups of ``home/demo_data.py``.

Records are matched on stable keys (producer and product codes, a visit's title and, when
the data fixes it, its start date, a fixed client token per note, (note, kind) per
follow-up) and saved only when a value differs from the data, so a second run writes
nothing: no new rows, no new change-log entries, no new photos. A demo record edited in
the meantime gets the data's values back; fields the data leaves out are not touched.

Passwords are generated when a user is created and printed once; they are stored nowhere
else and kept on later runs unless ``--reset-passwords`` is given.
"""

import secrets
import uuid
import zlib
from argparse import ArgumentTypeError
from collections import Counter
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.utils import timezone

from catalogue.models import (
    Category,
    Certification,
    HSCode,
    Producer,
    Product,
    ProductPhoto,
    StatusChange,
    Tag,
)
from catalogue.product_writes import change_status
from catalogue.reference import load_categories, load_hs_codes
from core.roles import sync_role_groups
from home import demo_data
from home.demo_showroom import ShowroomSeeder
from home.drawing import draw_product_photo
from regions.models import District, Regency
from regions.reference import load_regions
from showroom.models import Collection, Inquiry, Sample, ShareLink
from visits.models import FollowUp, Visit, VisitNote, VisitStop

LOCAL = ZoneInfo("Asia/Jakarta")
# Notes get uuid5(NOTE_NAMESPACE, key) as client_token, the same on every run.
NOTE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://etalase.example.org/demo/notes")
PRODUCT_KEYS_NOT_FIELDS = {
    "producer",
    "category",
    "hs_code",
    "tags",
    "certifications",
    "status_path",
    "not_suitable_reason",
    "photos",
}
UNCHANGED = "(unchanged — run with --reset-passwords to set new ones)"


def photo_size(value):
    try:
        width, height = (int(part) for part in value.lower().split("x"))
    except ValueError as exc:
        raise ArgumentTypeError(f"use WIDTHxHEIGHT, e.g. 960x720, not {value!r}") from exc
    if not (64 <= width <= 4000 and 64 <= height <= 4000):
        raise ArgumentTypeError("width and height must be between 64 and 4000 pixels")
    return width, height


def local_datetime(text):
    """``"2026-03-19 08:30"`` (Asia/Jakarta) as an aware datetime."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL)


def years_before(day, years):
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def photo_title(name, limit=44):
    """The name cut at a word so that it fits the drawn title bar (48 characters)."""
    if len(name) <= limit:
        return name
    return name[:limit].rsplit(" ", 1)[0].rstrip(",:;") + "…"


def _differs(obj, name, wanted):
    field = obj._meta.get_field(name)
    if field.is_relation:
        current = getattr(obj, field.attname)
        wanted = wanted.pk if isinstance(wanted, models.Model) else wanted
    else:
        current = getattr(obj, name)
        wanted = field.to_python(wanted)
    return current != wanted


class Seeder:
    def __init__(self, photo_size, reset_passwords):
        self.photo_size = photo_size
        self.reset_passwords = reset_passwords
        self.today = timezone.localdate()
        self.created = Counter()
        self.updated = Counter()
        self.logins = []  # (username, password or UNCHANGED, role)
        self.files = []  # storage names written by this run (removed if it fails)

    # --- generic ---------------------------------------------------------------------
    def sync(self, model, lookup, values, initial=None, tracked=True):
        """Find ``model`` by ``lookup``; create it, or save it only if ``values`` differ.

        ``initial`` holds values set on creation only (dates relative to today).
        """
        # 0.35 as Decimal("0.35"), not the binary float's 0.34999…
        values = {k: Decimal(str(v)) if isinstance(v, float) else v for k, v in values.items()}
        obj = model.objects.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **(initial or {}), **values)
        else:
            changed = [name for name, value in values.items() if _differs(obj, name, value)]
            if not changed:
                return obj, False
            for name in changed:
                setattr(obj, name, values[name])
        if tracked:
            obj.stamp(self.editor)
        obj._history_user = self.editor  # simple_history: who made this change-log entry
        obj.full_clean()
        obj.save()
        (self.created if created else self.updated)[model] += 1
        return obj, created

    # --- steps -----------------------------------------------------------------------
    def run(self):
        load_regions(Regency, District)
        load_hs_codes(HSCode)
        load_categories(Category)
        sync_role_groups()
        self.users = self.seed_users()
        self.editor = self.users[demo_data.EDITOR]
        self.tags = self.seed_tags()
        self.producers = self.seed_producers()
        self.products = self.seed_products()
        self.seed_visits()
        self.showroom = ShowroomSeeder(self)
        self.showroom.run()

    def seed_users(self):
        User = get_user_model()
        users = {}
        for item in demo_data.USERS:
            superuser = item.get("superuser", False)
            wanted = {
                "email": item["email"],
                "first_name": item["first_name"],
                "last_name": item["last_name"],
                "is_staff": superuser,
                "is_superuser": superuser,
                "is_active": True,
            }
            user = User.objects.filter(username=item["username"]).first()
            created = user is None
            if created:
                user = User(username=item["username"], **wanted)
                changed = list(wanted)
            else:
                changed = [name for name, value in wanted.items() if getattr(user, name) != value]
                for name in changed:
                    setattr(user, name, wanted[name])
            password = secrets.token_urlsafe(9) if created or self.reset_passwords else None
            if password:
                user.set_password(password)
            if changed or password:
                user.save()
                (self.created if created else self.updated)[User] += 1
            user.groups.set([Group.objects.get(name=item["role"])])
            for code in item.get("regencies", []):
                Regency.objects.get(code=code).staff.add(user)
            users[item["username"]] = user
            self.logins.append((user.username, password or UNCHANGED, item["role"]))
        return users

    def seed_tags(self):
        return {
            slug: self.sync(
                Tag,
                {"slug": slug},
                {"name": name, "name_en": name_en, "name_zh": name_zh},
                tracked=False,
            )[0]
            for slug, name, name_en, name_zh in demo_data.TAGS
        }

    def seed_producers(self):
        regencies = {r.code: r for r in Regency.objects.all()}
        districts = {d.code: d for d in District.objects.all()}
        producers = {}
        for item in demo_data.PRODUCERS:
            values = {k: v for k, v in item.items() if k not in ("code", "district")}
            values["district"] = districts[item["district"]]
            values["regency"] = regencies[item["district"][:5]]
            producers[item["code"]] = self.sync(Producer, {"code": item["code"]}, values)[0]
        return producers

    def seed_products(self):
        categories = {c.slug: c for c in Category.objects.all()}
        products = {}
        for item in demo_data.PRODUCTS:
            values = {k: v for k, v in item.items() if k not in PRODUCT_KEYS_NOT_FIELDS}
            del values["code"]
            values["producer"] = self.producers[item["producer"]]
            values["category"] = categories[item["category"]]
            values["hs_code_id"] = item.get("hs_code")
            product, created = self.sync(Product, {"code": item["code"]}, values)
            product.tags.set([self.tags[slug] for slug in item.get("tags", [])])
            self.seed_certifications(product, item.get("certifications", []))
            self.seed_status(product, item, created)
            self.seed_photos(product, item["photos"])
            products[item["code"]] = product
        return products

    def seed_certifications(self, product, certifications):
        for cert in certifications:
            values = {"issuer": cert.get("issuer", "")}
            initial = {}
            if "expires_in_days" in cert:
                # Relative to the day of seeding, so "expired" and "expiring soon" stay true.
                expires = self.today + timedelta(days=cert["expires_in_days"])
                initial["expires_on"] = expires
                initial["issued_on"] = years_before(expires, cert["valid_years"])
            else:
                values["issued_on"] = cert.get("issued_on")
                values["expires_on"] = cert.get("expires_on")
            lookup = {"product": product, "kind": cert["kind"], "number": cert["number"]}
            self.sync(Certification, lookup, values, initial)

    def seed_status(self, product, item, created):
        """Walk a new product along its pipeline; bring an existing one to its last step."""
        path = item["status_path"]
        if not path:
            return
        steps = path if created else [path[-1]]
        for status, day in steps:
            if product.status == status:
                continue
            product._history_user = self.editor
            change = change_status(
                product,
                status,
                user=self.editor,
                reason=item.get("not_suitable_reason", "") if status == "not_suitable" else "",
            )
            if created:
                change.changed_at = datetime.combine(day, time(10, 0), tzinfo=LOCAL)
                change.save(update_fields=["changed_at"])
            self.created[StatusChange] += 1

    def seed_photos(self, product, count):
        if product.photos.exists():
            return
        # Furniture gets the chair silhouette whatever its readiness profile.
        shape = "wood" if product.category.slug.startswith("furnitur") else product.profile
        seed = zlib.crc32(product.code.encode())
        for view in range(count):
            photo = ProductPhoto(
                product=product,
                image=draw_product_photo(
                    photo_title(product.name_id), shape, seed, size=self.photo_size, view=view
                ),
                caption=product.name_id if view == 0 else "",
                position=view,
                is_primary=view == 0,
                uploaded_by=self.editor,
            )
            try:
                photo.save()
            finally:
                self.files += [f.name for f in (photo.image, photo.thumbnail) if f]
            self.created[ProductPhoto] += 1

    def seed_visits(self):
        for item in demo_data.VISITS:
            values = {
                "organisation": item["organisation"],
                "purpose": item["purpose"],
                "status": item["status"],
                "member_names": item["member_names"],
            }
            lookup = {"title": item["title"]}
            if "start_date" in item:
                lookup["start_date"] = item["start_date"]
                values["end_date"] = item["end_date"]
                initial = {}
            else:
                # The next visit lies ahead of the day it was seeded; matched on its title.
                start = self.today + timedelta(days=item["starts_in_days"])
                initial = {"start_date": start, "end_date": start + timedelta(item["days"] - 1)}
            visit = self.sync(Visit, lookup, values, initial)[0]
            visit.members.add(*(self.users[name] for name in item["members"]))
            stops = self.seed_stops(visit, item["stops"])
            for note in item["notes"]:
                self.seed_note(visit, stops, note)

    def seed_stops(self, visit, stops):
        found = {}
        for position, stop in enumerate(stops, start=1):
            if "at" in stop:
                planned = local_datetime(stop["at"])
            else:
                day = visit.start_date + timedelta(days=stop["day"])
                planned = local_datetime(f"{day:%Y-%m-%d} {stop['time']}")
            producer = self.producers[stop["producer"]]
            values = {
                "position": position,
                "planned_at": planned,
                "status": stop.get("status", "planned"),
                "remarks": stop.get("remarks", ""),
            }
            lookup = {"visit": visit, "producer": producer}
            found[stop["producer"]] = self.sync(VisitStop, lookup, values, tracked=False)[0]
        return found

    def seed_note(self, visit, stops, item):
        values = {
            "visit": visit,
            "stop": stops.get(item["producer"]),
            "producer": self.producers[item["producer"]],
            "product": self.products.get(item.get("product")),
            "author": self.users[item["author"]],
            "text": item["text"],
            "interest": item["interest"],
            "requested": item["requested"],
            "visibility": item.get("visibility", "shared"),
            "created_at": local_datetime(item["written"]),
        }
        token = uuid.uuid5(NOTE_NAMESPACE, item["key"])
        note = self.sync(VisitNote, {"client_token": token}, values, tracked=False)[0]
        for follow_up in item["follow_ups"]:
            due = self.today + timedelta(days=follow_up["due_in_days"])
            status = follow_up.get("status", "open")
            done = status == "done"
            values = {
                "producer": note.producer,
                "product": note.product,
                "description": follow_up["description"],
                "owner": self.editor,
                "status": status,
                "closed_by": self.editor if done else None,
            }
            initial = {"due_date": due}
            if done:
                closed = min(due, self.today)
                initial["closed_at"] = datetime.combine(closed, time(15, 0), tzinfo=LOCAL)
            self.sync(FollowUp, {"note": note, "kind": follow_up["kind"]}, values, initial)


SUMMARY_MODELS = [
    Regency,
    District,
    Category,
    Tag,
    Producer,
    Product,
    ProductPhoto,
    Certification,
    StatusChange,
    Visit,
    VisitStop,
    VisitNote,
    Collection,
    ShareLink,
    Inquiry,
    Sample,
    FollowUp,
]


class Command(BaseCommand):
    help = (
        "Load the demo data of the founding story (producers, products, photos, a TEC visit "
        "with notes and follow-ups) and the demo users admin, staff, regency and visitor. "
        "Safe to run again: records are matched on stable codes, so a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the existing demo users new passwords (printed once).",
        )
        parser.add_argument(
            "--photo-size",
            type=photo_size,
            default=(960, 720),
            metavar="WxH",
            help="Size of the generated product photos (default 960x720).",
        )

    def handle(self, *args, **options):
        seeder = Seeder(options["photo_size"], options["reset_passwords"])
        try:
            with transaction.atomic():
                seeder.run()
        except BaseException:
            # Nothing was written to the database; remove the photo files as well.
            for name in seeder.files:
                default_storage.delete(name)
            raise
        self.print_logins(seeder.logins)
        self.print_share_link(seeder.showroom)
        self.print_summary(seeder)

    def print_logins(self, logins):
        self.stdout.write(self.style.MIGRATE_HEADING("Demo users"))
        rows = [("username", "password", "role"), *logins]
        widths = [max(len(row[i]) for row in rows) + 2 for i in (0, 1)]
        for username, password, role in rows:
            self.stdout.write(f"  {username.ljust(widths[0])}{password.ljust(widths[1])}{role}")
        if any(password != UNCHANGED for _username, password, _role in logins):
            self.stdout.write("  New passwords are shown only now and stored nowhere else.")

    def print_share_link(self, showroom):
        self.stdout.write(self.style.MIGRATE_HEADING("Demo share link"))
        self.stdout.write(f"  Buyers' page (no login, Chinese): {showroom.live_url}")

    def print_summary(self, seeder):
        User = get_user_model()
        self.stdout.write(self.style.MIGRATE_HEADING("Records"))
        for model in [*SUMMARY_MODELS, User]:
            label = f"{model._meta.app_label}.{model.__name__}"
            changes = []
            if seeder.created[model]:
                changes.append(f"{seeder.created[model]} new")
            if seeder.updated[model]:
                changes.append(f"{seeder.updated[model]} updated")
            suffix = f" ({', '.join(changes)})" if changes else ""
            self.stdout.write(f"  {label.ljust(26)}{model.objects.count():>6}{suffix}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
