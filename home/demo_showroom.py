"""The showroom part of the demo: a collection shared with buyers in China, its links
(live, expired, revoked), two inquiries that came back and a sample sent (seed_demo).

Matched on stable keys (the collection's Indonesian name, a link's label, an inquiry's
link and buyer name, a sample's inquiry and product), so a second run writes nothing.
Inquiries are about products already at "buyer interest" in the demo's pipeline, so the
demo's status history stays as ``demo_data`` tells it.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from catalogue.models import Product
from showroom.collection_writes import add_products, create_link, revoke_link
from showroom.inquiries import save_inquiry, save_sample
from showroom.models import Collection, ExchangeRate, Inquiry, Sample, ShareLink
from showroom.receiving import TEXT_FIELDS, receive_inquiry

COLLECTION = {
    "name_id": "Pekan pembeli TEC Shanghai 2026 — furnitur drum daur ulang dan produk pilihan",
    "name_en": "TEC Shanghai buyers' week 2026 — furniture from recycled drums and more",
    "name_zh": "2026年TEC上海采购周——回收油桶家具及东爪哇精选产品",
    "intro_id": (
        "Produk pilihan Bakorwil V Jember untuk pembeli di Tiongkok: furnitur dari drum baja "
        "bekas buatan Pakusari, cerutu Besuki, kerajinan bambu dan rotan, kopi Ijen-Raung "
        "dan edamame beku. Semua dibuat oleh industri rumahan dan UMKM Jawa Timur."
    ),
    "intro_en": (
        "A selection from Bakorwil V Jember for buyers in China: furniture made from "
        "recycled steel drums in Pakusari, Besuki cigars, bamboo and rattan craft, "
        "Ijen-Raung coffee and frozen edamame — all made by home industries and small "
        "businesses of East Java."
    ),
    "intro_zh": (
        "印度尼西亚东爪哇省第五地区协调机构（Bakorwil V Jember）为中国采购商精选的产品："
        "帕库萨里（Pakusari）回收油桶家具、贝苏基（Besuki）雪茄、竹藤编织品、"
        "伊真-拉翁（Ijen-Raung）咖啡和速冻毛豆，均由东爪哇家庭作坊和中小企业生产。"
    ),
}
PRODUCTS = [
    "JBR-0001",
    "JBR-0002",
    "BWI-0008",
    "PBL-0003",
    "JBR-0009",
    "BDW-0002",
    "JBR-0016",
    "KPR-0001",
]
LIVE = "Asosiasi importir Ningbo"
# label, days until expiry (negative: expired), revoked, show prices
LINKS = [
    (LIVE, 90, False, True),
    ("Pameran Yiwu 2026", -10, False, False),
    ("Agen Guangzhou (dicabut)", 60, True, True),
]
RATE = {"idr_per_cny": Decimal("2280.00")}
INQUIRIES = [
    {
        "name": "王建国",
        "company": "宁波海曙家居进出口有限公司",
        "city": "宁波，中国",
        "wechat": "wjg_ningbo_home",
        "email": "wang.jianguo@example.cn",
        "quantity": "200 套",
        "target_price": "每套 1,500 元以内",
        "message": "您好，我们对油桶庭院套装很感兴趣。请问可以定制颜色和公司标志吗？"
        "能否先寄一套样品到宁波？",
        "language": "zh-hans",
        "status": "sample_sent",
        "owner": "staff",
        "products": ["JBR-0001"],
        "days_ago": 12,
    },
    {
        "name": "Lin Mei",
        "company": "Shanghai Greenfield Foods Co., Ltd.",
        "city": "Shanghai, China",
        "phone": "+86 21 5555 0198",
        "quantity": "1 x 40' reefer container per month",
        "message": "We import frozen vegetables for restaurant chains. Is your edamame "
        "registered with GACC, and what is the price CIF Shanghai?",
        "language": "en",
        "status": "new",
        "owner": None,
        "products": ["JBR-0016"],
        "days_ago": 2,
    },
]
SAMPLE = {
    "product": "JBR-0001",
    "quantity": 1,
    "recipient_kind": "buyer",
    "recipient": "宁波海曙家居进出口有限公司",
    "courier": "DHL Express",
    "tracking_number": "1234567890",
    "cost_idr": 4_750_000,
    "sent_days_ago": 5,
}


class ShowroomSeeder:
    """Seeds the showroom with ``seeder.sync`` (seed_demo's find-or-create-or-update)."""

    def __init__(self, seeder):
        self.seeder = seeder
        self.now = timezone.now()

    def run(self):
        sync = self.seeder.sync
        rate_day = {"valid_on": self.seeder.today - timedelta(days=3)}
        sync(ExchangeRate, RATE, {}, initial=rate_day)
        name = {"name_id": COLLECTION["name_id"]}
        texts = {k: v for k, v in COLLECTION.items() if k != "name_id"}
        collection, created = sync(Collection, name, texts)
        products = Product.objects.in_bulk(PRODUCTS, field_name="code")
        if created:
            add_products(collection, [products[code] for code in PRODUCTS], self.seeder.editor)
        links = {label: self.seed_link(collection, label, *rest) for label, *rest in LINKS}
        self.live = links[LIVE]
        for item in INQUIRIES:
            self.seed_inquiry(collection, item, products)

    def seed_link(self, collection, label, days, revoked, prices):
        """A link made through the collections' write path; the expired one is made live
        and then dated back, as if its time had passed."""
        link = ShareLink.objects.filter(collection=collection, label=label).first()
        if link is not None:
            return link
        editor = self.seeder.editor
        expires_at = self.now + timedelta(days=max(days, 1))
        link = create_link(
            collection, editor, label=label, expires_at=expires_at, show_prices=prices
        )
        if days < 0:
            link.expires_at = self.now + timedelta(days=days)
            link.save(update_fields=["expires_at"])
        if revoked:
            revoke_link(link, editor)
        self.seeder.created[ShareLink] += 1
        return link

    def seed_inquiry(self, collection, item, products):
        """An inquiry received through the buyers' write path (``receive_inquiry``), then
        answered by staff through theirs (``save_inquiry``)."""
        inquiry = Inquiry.objects.filter(share_link=self.live, name=item["name"]).first()
        if inquiry is None:
            values = {field: item.get(field, "") for field in TEXT_FIELDS}
            about = [products[code] for code in item["products"]]
            inquiry = receive_inquiry(self.live, about, item["language"], **values)
            inquiry.status = item["status"]
            inquiry.owner = self.seeder.users.get(item["owner"]) if item["owner"] else None
            save_inquiry(inquiry, self.seeder.editor, version=None)
            # Received some days ago: the inbox shows them in order.
            Inquiry.objects.filter(pk=inquiry.pk).update(
                created_at=self.now - timedelta(days=item["days_ago"])
            )
            self.seeder.created[Inquiry] += 1
        if inquiry.status == "sample_sent":
            self.seed_sample(inquiry, products)

    def seed_sample(self, inquiry, products):
        product = products[SAMPLE["product"]]
        if Sample.objects.filter(inquiry=inquiry, product=product).exists():
            return
        fields = {k: v for k, v in SAMPLE.items() if k not in ("product", "sent_days_ago")}
        sent_on = self.seeder.today - timedelta(days=SAMPLE["sent_days_ago"])
        sample = Sample(inquiry=inquiry, product=product, sent_on=sent_on, **fields)
        sample.full_clean()
        save_sample(sample, self.seeder.editor)
        self.seeder.created[Sample] += 1

    @property
    def live_url(self):
        return settings.SITE_URL + self.live.get_absolute_url()
