"""Realistic synthetic producers and products for benchmarks and load tests.

``generate_catalogue(products=N, seed=S, photos=P)`` adds N products (and about N/20
producers) spread over every regency, district, leaf category, promotion status, producer
kind and packaging status. Names combine word lists per category (``Kursi Kayu Jati``,
``Keripik Pisang``, ``Cerutu Robusto``) with the producer's district; HS codes are real
6-digit subheadings chosen per product line (``data/hs_selected.csv``).

The same seed on the same starting database gives the same codes, names and figures
(timestamps and expiry dates are relative to today). Every run *adds* records: codes
continue after the highest existing number per regency prefix, as ``next_code`` would.

Rows are written with ``bulk_create`` in batches inside one transaction, so no signals
fire and no change history is recorded: readiness is computed here with the same
``assess``/``facts_for`` the signal uses.
"""

import itertools
import math
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

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
from catalogue.readiness import assess, facts_for, route_settings
from home.drawing import draw_product_photo
from regions.models import District, Regency

PHOTO_SIZE = (480, 360)
DEFAULT_BATCH = 2000


@dataclass(frozen=True)
class Line:
    """One kind of product a category makes: names, HS code and plausible figures."""

    name: tuple  # (Indonesian, English, Chinese)
    variants: tuple  # ((id, en, zh), ...); an empty variant keeps the bare name
    hs: str
    unit: str
    price: tuple  # IDR per unit (low, high)
    weight: tuple  # kg per unit (low, high)
    size: tuple | None = None  # typical length, width, height in cm
    shelf: tuple | None = None  # shelf life in days (low, high)
    moq: tuple = (10, 200)
    capacity: tuple = (100, 2000)  # units per month
    lead: tuple = (7, 30)  # days
    materials: str = "{v}"
    storage: str = ""


PLAIN = (("", "", ""),)
WOODS = (
    ("Kayu Jati", "Teak", "柚木"),
    ("Kayu Mahoni", "Mahogany", "桃花心木"),
    ("Kayu Sonokeling", "Rosewood", "花梨木"),
    ("Kayu Trembesi", "Rain-tree Wood", "雨树木"),
    ("Kayu Nangka", "Jackfruit Wood", "菠萝蜜木"),
    ("Kayu Mangga", "Mango Wood", "芒果木"),
)
BAMBOO, RATTAN = ("Bambu", "Bamboo", "竹"), ("Rotan", "Rattan", "藤")
FIBRES = (("Pandan", "Pandan", "露兜草"), ("Eceng Gondok", "Water Hyacinth", "水葫芦"))
CLAYS = (
    ("Gerabah", "Terracotta", "陶土"),
    ("Keramik Glasir", "Glazed Ceramic", "釉面陶瓷"),
    ("Stoneware", "Stoneware", "炻器"),
)
DRUMS = (
    ("Drum Bekas", "Upcycled Steel Drum", "回收钢桶"),
    ("Drum Warna-warni", "Colourful Drum", "彩色油桶"),
    ("Besi Tempa", "Wrought Iron", "锻铁"),
)
FRUITS = (
    ("Pisang", "Banana", "香蕉"),
    ("Nangka", "Jackfruit", "菠萝蜜"),
    ("Salak", "Snake Fruit", "蛇皮果"),
    ("Buah Naga", "Dragon Fruit", "火龙果"),
)
COFFEES = (
    ("Robusta", "Robusta", "罗布斯塔"),
    ("Arabika Ijen-Raung", "Ijen-Raung Arabica", "伊真-拉翁阿拉比卡"),
    ("Lanang", "Peaberry", "圆豆"),
    ("Excelsa", "Excelsa", "伊克赛尔萨"),
)
MOTIFS = (
    ("Gajah Oling", "Gajah Oling", "象鱼纹"),
    ("Daun Tembakau", "Tobacco Leaf", "烟叶纹"),
    ("Kopi Pecah", "Coffee Bean", "咖啡豆纹"),
    ("Sekar Jagad", "Sekar Jagad", "世界之花纹"),
    ("Parang", "Parang", "刀纹"),
    ("Kawung", "Kawung", "卡翁纹"),
)
BAG_MATERIALS = (
    ("Batik", "Batik", "蜡染"),
    ("Tenun", "Woven", "编织"),
    ("Goni", "Jute", "黄麻"),
    ("Kanvas", "Canvas", "帆布"),
)
OIL_GRADES = (("Murni", "Pure", "纯"), ("", "", ""))
DRY = "Simpan di tempat kering dan sejuk, terhindar dari sinar matahari langsung"
SEALED = "Simpan dalam wadah tertutup rapat di tempat kering dan sejuk"
CHILLED = "Simpan dingin pada suhu 8–10 °C"
FROZEN = "Simpan beku pada suhu −18 °C atau lebih rendah"


WOOD_FIGURES = {"moq": (1, 20), "capacity": (5, 120), "lead": (21, 75)}
SNACK_FIGURES = {"moq": (50, 1000), "capacity": (500, 20_000), "lead": (7, 21)}


def _wood(name, hs, price, weight, size, variants=WOODS, **kw):
    return Line(name, variants, hs, "pcs", price, weight, size, **WOOD_FIGURES, **kw)


def _snack(name, variants, hs, shelf, price=(12_000, 45_000), storage=DRY, **kw):
    kw.setdefault("materials", "{v}, minyak kelapa, garam")
    figures = {**SNACK_FIGURES, "shelf": shelf, "storage": storage, **kw}
    return Line(name, variants, hs, "pack", price, (0.1, 0.5), **figures)


# fmt: off
# Product lines per leaf category slug (catalogue/reference.py), HS codes from
# data/hs_selected.csv where the region's products are listed, otherwise data/hs6.csv.
LINES = {
    "kerajinan-kayu": [
        _wood(("Patung", "Statue", "雕像"), "442011", (150_000, 3_500_000), (0.5, 15),
              (25, 20, 60), WOODS[:3]),
        _wood(("Topeng", "Mask", "面具"), "442011", (75_000, 750_000), (0.3, 1.5),
              (20, 12, 30), (("Kayu Pule", "Pulai Wood", "白木"), *WOODS[:2])),
        _wood(("Kotak Perhiasan", "Jewellery Box", "首饰盒"), "442090", (60_000, 600_000),
              (0.3, 2), (20, 14, 10), WOODS[:3]),
        _wood(("Hiasan Dinding Ukir", "Carved Wall Panel", "雕花挂板"), "442011",
              (250_000, 4_000_000), (2, 20), (90, 5, 45)),
        _wood(("Nampan", "Serving Tray", "托盘"), "441990", (35_000, 250_000), (0.4, 1.5),
              (40, 28, 4), WOODS[3:]),
    ],
    "anyaman": [
        Line(("Keranjang", "Basket", "篮子"), (BAMBOO,), "460211", "pcs", (25_000, 350_000),
             (0.3, 3), (40, 30, 30), moq=(20, 300), capacity=(100, 3000)),
        Line(("Keranjang", "Basket", "篮子"), (RATTAN,), "460212", "pcs", (40_000, 450_000),
             (0.3, 3), (40, 30, 30), moq=(20, 300), capacity=(100, 2000)),
        Line(("Keranjang", "Basket", "篮子"), FIBRES, "460219", "pcs", (20_000, 250_000),
             (0.2, 2), (35, 30, 25), moq=(20, 300), capacity=(100, 3000)),
        Line(("Tikar", "Mat", "席子"), (BAMBOO,), "460121", "pcs", (60_000, 400_000), (1, 5),
             (200, 150, 1)),
        Line(("Tikar", "Mat", "席子"), FIBRES[:1], "460129", "pcs", (45_000, 300_000), (1, 4),
             (200, 150, 1)),
        Line(("Kap Lampu", "Lamp Shade", "灯罩"), (RATTAN,), "460193", "pcs",
             (50_000, 400_000), (0.3, 2), (40, 40, 35)),
        Line(("Kursi", "Chair", "椅子"), (BAMBOO,), "940152", "pcs", (250_000, 1_500_000),
             (4, 12), (55, 60, 85), moq=(5, 50), capacity=(10, 200), lead=(14, 45)),
        Line(("Kursi", "Chair", "椅子"), (RATTAN,), "940153", "pcs", (350_000, 2_500_000),
             (4, 12), (55, 60, 85), moq=(5, 50), capacity=(10, 200), lead=(14, 45)),
    ],
    "keramik": [
        Line(("Vas Bunga", "Flower Vase", "花瓶"), CLAYS, "691390", "pcs", (30_000, 450_000),
             (0.5, 4), (20, 20, 35)),
        Line(("Set Cangkir", "Cup Set", "杯具套装"), CLAYS[1:], "691200", "set",
             (75_000, 400_000), (1, 3), (30, 30, 12)),
        Line(("Piring Saji", "Serving Plate", "餐盘"), CLAYS[1:], "691200", "pcs",
             (25_000, 180_000), (0.4, 1.5), (28, 28, 3)),
        Line(("Guci Hias", "Decorative Jar", "装饰罐"),
             (CLAYS[0], ("Keramik Motif Batik", "Batik-motif Ceramic", "蜡染纹陶瓷")), "691390",
             "pcs", (100_000, 1_500_000), (2, 15), (35, 35, 60)),
        Line(("Pot Tanaman", "Plant Pot", "花盆"), CLAYS[:1], "691490", "pcs",
             (10_000, 120_000), (0.5, 6), (30, 30, 28), moq=(50, 500)),
    ],
    "furnitur-kayu": [
        _wood(("Kursi", "Chair", "椅子"), "940169", (350_000, 2_500_000), (5, 15),
              (50, 55, 90)),
        _wood(("Sofa", "Upholstered Sofa", "软垫沙发"), "940161", (2_500_000, 12_000_000),
              (30, 80), (200, 85, 85), WOODS[:3]),
        _wood(("Meja Makan", "Dining Table", "餐桌"), "940360", (1_500_000, 9_000_000),
              (25, 70), (180, 90, 76)),
        _wood(("Meja Kerja", "Office Desk", "办公桌"), "940330", (1_200_000, 6_000_000),
              (20, 50), (140, 70, 76)),
        _wood(("Lemari Pakaian", "Wardrobe", "衣柜"), "940350", (2_500_000, 11_000_000),
              (50, 120), (160, 60, 200)),
        _wood(("Rak Dapur", "Kitchen Rack", "厨房置物架"), "940340", (400_000, 2_000_000),
              (8, 25), (90, 35, 120)),
        _wood(("Dipan", "Bed Frame", "床架"), "940350", (2_000_000, 9_500_000), (40, 90),
              (210, 170, 45)),
    ],
    "furnitur-logam": [
        Line(("Kursi", "Chair", "椅子"), DRUMS, "940179", "pcs", (450_000, 2_000_000),
             (6, 15), (60, 60, 80), moq=(2, 20), capacity=(10, 150), lead=(14, 45)),
        Line(("Sofa", "Sofa", "沙发"), DRUMS[:2], "940171", "set", (1_500_000, 6_000_000),
             (20, 45), (120, 70, 80), moq=(1, 10), capacity=(5, 60), lead=(21, 60)),
        Line(("Meja", "Table", "桌子"), DRUMS, "940320", "pcs", (350_000, 2_500_000), (8, 25),
             (60, 60, 75), moq=(2, 20), capacity=(10, 150), lead=(14, 45)),
        Line(("Rak", "Shelf", "置物架"), DRUMS, "940320", "pcs", (300_000, 1_800_000), (6, 20),
             (60, 40, 120), moq=(2, 20), capacity=(10, 150), lead=(14, 45)),
        Line(("Meja Kantor", "Office Desk", "办公桌"), (("Baja", "Steel", "钢"), DRUMS[0]),
             "940310", "pcs", (900_000, 4_000_000), (20, 45), (140, 70, 76), moq=(2, 20),
             capacity=(10, 100), lead=(21, 45)),
    ],
    "makanan-olahan": [
        _snack(("Keripik", "Chips", "脆片"), FRUITS, "200899", (90, 240)),
        _snack(("Keripik", "Chips", "薯片"), (("Kentang", "Potato", "土豆"),), "200520",
               (90, 180)),
        _snack(("Kerupuk", "Crackers", "脆饼"),
               (("Udang", "Prawn", "虾"), ("Ikan", "Fish", "鱼"), ("Bawang", "Garlic", "蒜香")),
               "190590", (180, 365), materials="tepung tapioka, {v}, garam"),
        _snack(("Suwar-suwir", "Suwar-suwir Fudge", "苏瓦苏威尔软糖"),
               (("Tape", "Fermented Cassava", "发酵木薯"), FRUITS[1]), "170490", (60, 180),
               materials="{v}, gula pasir"),
        _snack(("Dodol", "Dodol Toffee", "椰糖糕"),
               (FRUITS[1], FRUITS[3], ("Durian", "Durian", "榴莲")), "170490", (90, 180),
               materials="{v}, tepung ketan, santan, gula"),
        _snack(("Kacang", "Peanuts", "花生"),
               (("Bawang", "Garlic", "蒜香"), ("Oven", "Oven-roasted", "烘烤"),
                ("Pedas", "Spicy", "香辣")), "200811", (120, 365), materials="kacang tanah, {v}"),
        _snack(("Kacang Mete", "Cashew Nuts", "腰果"),
               (("Goreng", "Fried", "油炸"), ("Madu", "Honey-glazed", "蜂蜜")), "200819",
               (150, 365), price=(45_000, 180_000), materials="kacang mete, {v}"),
        _snack(("Sale Pisang", "Sun-dried Banana", "香蕉干"), PLAIN, "080390", (90, 180),
               materials="pisang"),
        _snack(("Mangga Kering", "Dried Mango", "芒果干"), PLAIN, "080450", (180, 365),
               materials="mangga, gula"),
        _snack(("Buah Naga Kering", "Dried Dragon Fruit", "火龙果干"), PLAIN, "081340",
               (180, 365), materials="buah naga"),
        # Prol tape keeps a few days: blocked by the shelf-life-vs-route rule.
        _snack(("Prol Tape", "Fermented Cassava Cake", "发酵木薯蛋糕"),
               (("Keju", "Cheese", "芝士"), ("Original", "Original", "原味")), "190590", (4, 10),
               price=(25_000, 60_000), materials="tape singkong, telur, {v}"),
        _snack(("Edamame Goreng", "Crispy Edamame", "香脆毛豆"),
               (("Original", "Original", "原味"), ("Pedas", "Spicy", "香辣")), "200599",
               (120, 270), materials="edamame, minyak nabati, {v}"),
    ],
    "kopi-teh": [
        Line(("Kopi Bubuk", "Ground Coffee", "咖啡粉"), COFFEES, "090121", "pack",
             (25_000, 150_000), (0.1, 1), shelf=(180, 365), moq=(50, 500),
             capacity=(500, 10_000), materials="kopi {v}", storage=SEALED),
        Line(("Kopi Sangrai", "Roasted Coffee Beans", "烘焙咖啡豆"), COFFEES, "090121", "kg",
             (90_000, 350_000), (1, 1), shelf=(270, 540), moq=(10, 200),
             capacity=(200, 5000), materials="kopi {v}", storage=SEALED),
        Line(("Kopi Beras", "Green Coffee Beans", "咖啡生豆"), COFFEES[:2], "090111", "kg",
             (35_000, 120_000), (1, 1), shelf=(365, 720), moq=(100, 5000),
             capacity=(1000, 50_000), lead=(14, 45), materials="kopi {v}", storage=DRY),
        Line(("Kopi Instan", "Instant Coffee", "速溶咖啡"),
             (("3 in 1", "3-in-1", "三合一"), ("Gula Aren", "Palm Sugar", "棕榈糖")), "210112",
             "pack", (15_000, 60_000), (0.2, 0.5), shelf=(365, 540), moq=(100, 1000),
             capacity=(1000, 20_000), materials="kopi, {v}, krimer", storage=SEALED),
        Line(("Minuman Jahe Instan", "Instant Ginger Drink", "速溶姜茶"),
             (("Original", "Original", "原味"), ("Temulawak", "Java Turmeric", "爪哇姜黄"),
              ("Serai", "Lemongrass", "香茅")), "210690", "pack", (12_000, 40_000), (0.2, 0.5),
             shelf=(365, 720), moq=(100, 1000), capacity=(1000, 20_000),
             materials="jahe, gula, {v}", storage=SEALED),
    ],
    "gula-madu": [
        Line(("Gula Aren", "Palm Sugar", "棕榈糖"),
             (("Cetak", "Block", "块状"), ("Semut", "Granulated", "颗粒")), "170290", "kg",
             (25_000, 70_000), (1, 1), shelf=(270, 540), moq=(50, 2000),
             capacity=(500, 20_000), materials="nira aren", storage=DRY),
        Line(("Gula Kelapa", "Coconut Sugar", "椰子糖"),
             (("Cetak", "Block", "块状"), ("Semut", "Granulated", "颗粒")), "170290", "kg",
             (20_000, 60_000), (1, 1), shelf=(270, 540), moq=(50, 2000),
             capacity=(500, 20_000), materials="nira kelapa", storage=DRY),
        Line(("Gula Merah Tebu", "Cane Brown Sugar", "甘蔗红糖"), PLAIN, "170113", "kg",
             (15_000, 35_000), (1, 1), shelf=(365, 720), moq=(100, 5000),
             capacity=(1000, 50_000), materials="tebu", storage=DRY),
        Line(("Madu", "Honey", "蜂蜜"),
             (("Hutan", "Wild Forest", "野生"), ("Kelengkeng", "Longan Blossom", "龙眼花"),
              ("Randu", "Kapok Blossom", "木棉花"), ("Kopi", "Coffee Blossom", "咖啡花")),
             "040900", "bottle", (45_000, 250_000), (0.25, 1), shelf=(540, 730),
             moq=(24, 500), capacity=(100, 3000), materials="madu {v}", storage=SEALED),
    ],
    "cerutu": [
        Line(("Cerutu", "Cigar", "雪茄"),
             (("Robusto", "Robusto", "罗布图"), ("Corona", "Corona", "皇冠"),
              ("Churchill", "Churchill", "丘吉尔"), ("Petit Corona", "Petit Corona", "小皇冠"),
              ("Cigarillo", "Cigarillo", "小雪茄")), "240210", "box", (150_000, 2_500_000),
             (0.2, 1), (22, 15, 5), moq=(10, 200), capacity=(100, 5000), lead=(14, 60),
             materials="tembakau Besuki Na-Oogst", storage="Simpan di humidor 16–18 °C, 65–70 %"),
    ],
    "tembakau-daun": [
        Line(("Tembakau", "Tobacco Leaf", "烟叶"),
             (("Besuki Na-Oogst", "Besuki Na-Oogst", "伯苏基晚收"),
              ("Voor-Oogst", "Voor-Oogst", "早收"), ("Kasturi", "Kasturi", "卡斯图里")),
             "240110", "kg", (40_000, 250_000), (1, 1), moq=(100, 5000),
             capacity=(1000, 50_000), lead=(14, 45), materials="daun tembakau {v}"),
        Line(("Tembakau Krosok", "Stripped Tobacco", "去梗烟叶"),
             (("Na-Oogst", "Na-Oogst", "晚收"), ("Kasturi", "Kasturi", "卡斯图里")), "240120",
             "kg", (35_000, 200_000), (1, 1), moq=(100, 5000), capacity=(1000, 50_000),
             lead=(14, 45), materials="daun tembakau {v}"),
    ],
    "buah-segar": [
        Line(("Buah Naga", "Dragon Fruit", "火龙果"),
             (("Merah", "Red-flesh", "红心"), ("Putih", "White-flesh", "白心"),
              ("Kuning", "Yellow", "黄")), "081090", "kg", (12_000, 45_000), (1, 1),
             shelf=(14, 30), moq=(500, 10_000), capacity=(5000, 100_000), lead=(3, 14),
             materials="buah naga {v}", storage=CHILLED),
        Line(("Mangga", "Mango", "芒果"),
             (("Arumanis", "Arumanis", "香芒"), ("Manalagi", "Manalagi", "马纳拉吉"),
              ("Golek", "Golek", "戈莱克")), "080450", "kg", (10_000, 40_000), (1, 1),
             shelf=(7, 21), moq=(500, 10_000), capacity=(5000, 100_000), lead=(3, 14),
             materials="mangga {v}", storage=CHILLED),
        Line(("Pisang", "Banana", "香蕉"),
             (("Agung", "Agung", "阿贡"), ("Mas Kirana", "Mas Kirana", "金香蕉")), "080390", "kg",
             (6_000, 20_000), (1, 1), shelf=(7, 14), moq=(500, 10_000),
             capacity=(5000, 100_000), lead=(3, 10), materials="pisang {v}", storage=CHILLED),
        Line(("Jeruk Siam", "Siam Mandarin", "暹罗橘"), PLAIN, "080521", "kg",
             (8_000, 25_000), (1, 1), shelf=(14, 28), moq=(500, 10_000),
             capacity=(5000, 100_000), lead=(3, 10), materials="jeruk siam", storage=CHILLED),
        Line(("Durian", "Durian", "榴莲"),
             (("Merah", "Red", "红肉"), ("Montong", "Monthong", "金枕")), "081060", "kg",
             (35_000, 150_000), (1, 1), shelf=(3, 7), moq=(100, 2000), capacity=(500, 10_000),
             lead=(3, 10), materials="durian {v}", storage=CHILLED),
    ],
    "sayur-beku": [
        Line(("Edamame Beku", "Frozen Edamame", "冷冻毛豆"),
             (("Polong", "In-pod", "带荚"), ("Kupas", "Shelled", "去荚")), "071029", "kg",
             (18_000, 45_000), (1, 1), shelf=(540, 720), moq=(1000, 20_000),
             capacity=(10_000, 300_000), lead=(7, 30), materials="edamame", storage=FROZEN),
        Line(("Edamame Segar", "Fresh Edamame", "新鲜毛豆"), PLAIN, "070890", "kg",
             (12_000, 30_000), (1, 1), shelf=(5, 10), moq=(500, 10_000),
             capacity=(5000, 100_000), lead=(2, 7), materials="edamame", storage=CHILLED),
        Line(("Okra Beku", "Frozen Okra", "冷冻秋葵"), PLAIN, "071080", "kg", (15_000, 40_000),
             (1, 1), shelf=(540, 720), moq=(1000, 20_000), capacity=(5000, 100_000),
             materials="okra", storage=FROZEN),
        Line(("Sayuran Campur Beku", "Frozen Mixed Vegetables", "冷冻什锦蔬菜"), PLAIN, "071090",
             "kg", (15_000, 35_000), (1, 1), shelf=(365, 540), moq=(1000, 20_000),
             capacity=(5000, 100_000), materials="wortel, buncis, jagung manis", storage=FROZEN),
    ],
    "batik": [
        Line(("Kain Batik Tulis", "Hand-drawn Batik Cloth", "手绘蜡染布"), MOTIFS, "520852",
             "sheet", (250_000, 3_000_000), (0.2, 0.5), (240, 115, 0.1), moq=(5, 50),
             capacity=(10, 200), lead=(21, 60), materials="kain katun primisima, malam"),
        Line(("Kain Batik Cap", "Stamped Batik Cloth", "印花蜡染布"), MOTIFS, "520851", "m",
             (50_000, 250_000), (0.1, 0.2), moq=(50, 500), capacity=(500, 5000),
             materials="kain katun, malam"),
        Line(("Kemeja Batik Pria", "Men's Batik Shirt", "男士蜡染衬衫"), MOTIFS, "620520", "pcs",
             (120_000, 750_000), (0.2, 0.4), moq=(20, 300), capacity=(100, 3000),
             materials="katun"),
        Line(("Blus Batik", "Women's Batik Blouse", "女士蜡染衬衫"), MOTIFS, "620630", "pcs",
             (110_000, 650_000), (0.15, 0.35), moq=(20, 300), capacity=(100, 3000),
             materials="katun"),
        Line(("Selendang Batik", "Batik Scarf", "蜡染围巾"), MOTIFS, "621490", "pcs",
             (60_000, 450_000), (0.1, 0.2), moq=(20, 300), capacity=(100, 3000),
             materials="katun"),
        Line(("Kain Batik Sutra", "Silk Batik", "真丝蜡染"), MOTIFS, "500720", "sheet",
             (600_000, 5_000_000), (0.1, 0.3), (200, 110, 0.1), moq=(2, 20),
             capacity=(5, 60), lead=(30, 90), materials="sutra, malam"),
    ],
    "tas-aksesori": [
        Line(("Tas Tangan", "Handbag", "手提包"), BAG_MATERIALS, "420222", "pcs",
             (75_000, 650_000), (0.3, 1), (30, 12, 25), moq=(20, 300), capacity=(100, 2000),
             materials="kain {v}, kulit sintetis"),
        Line(("Tas Jinjing", "Tote Bag", "托特包"), BAG_MATERIALS, "420292", "pcs",
             (35_000, 250_000), (0.2, 0.6), (40, 12, 38), moq=(50, 500), capacity=(200, 5000),
             materials="kain {v}"),
        Line(("Dompet", "Wallet", "钱包"), BAG_MATERIALS[:2], "420232", "pcs",
             (25_000, 150_000), (0.05, 0.2), (20, 3, 10), moq=(50, 500), capacity=(200, 5000),
             materials="kain {v}"),
        Line(("Tas Ransel", "Backpack", "背包"), BAG_MATERIALS[1:], "420292", "pcs",
             (95_000, 450_000), (0.4, 1.2), (30, 15, 45), moq=(20, 300), capacity=(100, 2000),
             materials="kain {v}"),
        Line(("Karung Goni", "Jute Sack", "黄麻袋"), PLAIN, "630510", "pcs", (8_000, 30_000),
             (0.3, 0.8), (100, 60, 1), moq=(500, 10_000), capacity=(5000, 100_000),
             materials="serat goni"),
    ],
    "minyak-atsiri": [
        Line((name, en, zh), OIL_GRADES, hs, "kg", price, (1, 1), moq=(5, 200),
             capacity=(50, 2000), lead=(14, 45), materials=material)
        for name, en, zh, hs, price, material in (
            ("Minyak Nilam", "Patchouli Oil", "广藿香油", "330129", (550_000, 1_100_000),
             "daun nilam"),
            ("Minyak Cengkeh", "Clove Oil", "丁香油", "330129", (150_000, 350_000),
             "daun cengkeh"),
            ("Minyak Sereh Wangi", "Citronella Oil", "香茅油", "330129", (180_000, 400_000),
             "sereh wangi"),
            ("Minyak Kenanga", "Cananga Oil", "依兰油", "330129", (600_000, 1_500_000),
             "bunga kenanga"),
            ("Minyak Jeruk Purut", "Kaffir Lime Oil", "卡菲尔酸橙油", "330119",
             (900_000, 2_000_000), "kulit jeruk purut"),
        )
    ],
}
# fmt: on
# Categories added later without lines of their own borrow those of their profile.
PROFILE_LINES = {
    "food": "makanan-olahan",
    "wood": "kerajinan-kayu",
    "tobacco": "cerutu",
    "agri": "buah-segar",
    "general": "anyaman",
}

# What each regency is known for (weights its producers' main category).
SPECIALTIES = {
    "35.08": {"buah-segar", "makanan-olahan", "anyaman"},  # Lumajang: pisang agung
    "35.09": {"cerutu", "tembakau-daun", "furnitur-logam", "sayur-beku", "makanan-olahan"},
    "35.10": {"buah-segar", "batik", "kopi-teh", "kerajinan-kayu"},  # Banyuwangi
    "35.11": {"kopi-teh", "tembakau-daun", "keramik"},  # Bondowoso
    "35.12": {"batik", "tembakau-daun", "gula-madu"},  # Situbondo
    "35.13": {"buah-segar", "makanan-olahan", "minyak-atsiri"},  # Kabupaten Probolinggo
    "35.74": {"makanan-olahan", "batik", "tas-aksesori"},  # Kota Probolinggo
}
# Rough centres (latitude, longitude) and spread in degrees, for producer coordinates.
CENTRES = {
    "35.08": (-8.13, 113.22, 0.12),
    "35.09": (-8.17, 113.70, 0.15),
    "35.10": (-8.22, 114.25, 0.2),
    "35.11": (-7.91, 113.82, 0.1),
    "35.12": (-7.71, 114.01, 0.12),
    "35.13": (-7.80, 113.35, 0.12),
    "35.74": (-7.75, 113.22, 0.02),
}

STATUS_WEIGHTS = {  # status: (share, how complete such records tend to be)
    "draft": (30, 0.35),
    "candidate": (25, 0.55),
    "shortlisted": (15, 0.7),
    "promoted": (12, 0.85),
    "buyer_interest": (8, 0.9),
    "exported": (5, 0.95),
    "not_suitable": (5, 0.4),
}
NOT_SUITABLE_REASONS = [
    "Umur simpan terlalu pendek untuk pengiriman laut ke Tiongkok.",
    "Kapasitas produksi terlalu kecil untuk pesanan ekspor.",
    "Harga belum bersaing dengan pemasok dari negara lain.",
    "Produsen belum siap memenuhi standar kemasan ekspor.",
    "Saluran impor terbatas (monopoli tembakau Tiongkok).",
]
KIND_WEIGHTS = {
    "home_industry": 40,
    "sme": 30,
    "cooperative": 9,
    "smk": 7,
    "state_company": 2,
    "company": 12,
}
PACKAGING = {
    "food": [
        "Standing pouch aluminium foil dengan zipper, 24 pouch per karton",
        "Toples PET bersegel, 12 toples per karton",
        "Kemasan vakum dalam karton berlapis",
        "Botol kaca bersegel, karton bersekat",
    ],
    "wood": [
        "Bubble wrap dan kardus tebal, sudut diberi pelindung",
        "Peti kayu, sistem knock-down",
        "Karton lima lapis, sistem knock-down",
    ],
    "tobacco": [
        "Kotak kayu cedar isi 10 atau 25 batang, tabung aluminium per batang",
        "Bal tembakau dibungkus tikar dan goni, 50 kg per bal",
    ],
    "agri": [
        "Kardus berventilasi 10 kg, buah dibungkus jaring busa",
        "Karton berlapis lilin 5 kg untuk rantai dingin",
        "Kantong PE 500 g dalam karton 10 kg, beku",
    ],
    "general": [
        "Plastik dan kardus, 20 pcs per karton",
        "Polybag per item dalam karton lima lapis",
        "Kotak hadiah dari kertas daur ulang",
    ],
}
# Certificates by profile: (kind, base chance, years valid or None, issuer).
CERTIFICATES = {
    "food": [
        ("halal", 0.75, None, "BPJPH"),
        ("gacc", 0.45, 5, "GACC (China Customs)"),
        ("haccp", 0.12, 3, "Sucofindo"),
    ],
    "wood": [
        ("svlk", 0.75, 3, "LVLK Mutu Agung Lestari"),
        ("ispm15", 0.3, 1, "Badan Karantina Indonesia"),
        ("iso", 0.05, 3, "TÜV Nord Indonesia"),
    ],
    "tobacco": [("other", 0.4, None, "Bea Cukai (NPPBKC)")],
    "agri": [
        ("gacc", 0.35, 5, "GACC (China Customs)"),
        ("organic", 0.15, 1, "LeSOS"),
        ("other", 0.2, 3, "Dinas Pertanian (registrasi kebun)"),
    ],
    "general": [
        ("sni", 0.15, 4, "LSPro Sucofindo"),
        ("iso", 0.05, 3, "TÜV Nord Indonesia"),
        ("other", 0.1, None, "Dinas Perindustrian"),
    ],
}
TAGS = [
    ("unggulan", "Produk unggulan"),
    ("ramah-lingkungan", "Ramah lingkungan"),
    ("buatan-tangan", "Buatan tangan"),
    ("organik", "Organik"),
    ("oleh-oleh", "Oleh-oleh khas"),
    ("pameran-tec", "Pameran TEC"),
    ("binaan-bakorwil", "Binaan Bakorwil V"),
    ("kemasan-baru", "Kemasan baru"),
    ("terlaris", "Terlaris"),
    ("sampel-tersedia", "Sampel tersedia"),
    ("ekspor-perdana", "Ekspor perdana"),
    ("bahan-lokal", "Bahan lokal"),
]
# fmt: off
NAME_WORDS = [
    "Sari", "Karya", "Jaya", "Makmur", "Sejahtera", "Mandiri", "Abadi", "Berkah", "Sumber",
    "Rejeki", "Lestari", "Mulia", "Barokah", "Tunas", "Mekar", "Putra", "Putri", "Indah", "Agung",
    "Sentosa", "Harapan", "Cahaya", "Bintang", "Rasa", "Alam", "Tani", "Kreasi", "Citra",
    "Anugerah", "Maju", "Bersama", "Kencana", "Wijaya", "Utama", "Langgeng", "Dewi", "Arta",
]
TRADE_WORDS = {
    "kerajinan-kayu": "Ukir", "anyaman": "Anyam", "keramik": "Gerabah", "furnitur-kayu": "Mebel",
    "furnitur-logam": "Drum Art", "makanan-olahan": "Snack", "kopi-teh": "Kopi",
    "gula-madu": "Madu", "cerutu": "Cigar", "tembakau-daun": "Tembakau", "buah-segar": "Tani",
    "sayur-beku": "Agro", "batik": "Batik", "tas-aksesori": "Craft", "minyak-atsiri": "Atsiri",
}
FIRST_NAMES = [
    "Siti", "Ahmad", "Budi", "Sri", "Dewi", "Agus", "Nur", "Rina", "Hadi", "Wahyu", "Yuli", "Eko",
    "Lilik", "Suparman", "Hasan", "Fitri", "Imam", "Ratna", "Slamet", "Umi", "Bambang", "Endang",
    "Kholifah", "Rudi", "Anik", "Samsul", "Yayuk", "Joko", "Erna", "Fauzan",
]
LAST_NAMES = [
    "Rahayu", "Santoso", "Wijaya", "Hidayat", "Lestari", "Purnomo", "Susanto", "Nurhayati",
    "Hariyanto", "Fauzi", "Aminah", "Setiawan", "Kurniawan", "Maulana", "Wulandari", "Prasetyo",
    "Suryani", "Hasanah", "Efendi", "Mulyadi",
]
VILLAGE_HEADS = [
    "Sumber", "Kali", "Tegal", "Karang", "Sido", "Wono", "Suko", "Jati", "Gunung", "Rowo", "Bayu",
    "Mojo",
]
VILLAGE_TAILS = [
    "rejo", "sari", "mulyo", "agung", "wetan", "kulon", "harjo", "makmur", "asri", "jaya",
]
STREETS = (
    "Raya", "Merdeka", "Diponegoro", "Sudirman", "Gajah Mada", "Kartini", "Ahmad Yani",
    "Mastrip", "Kenanga", "Melati", "Pahlawan", "PB Sudirman",
)
# fmt: on
PHONE_PREFIXES = ("812", "813", "821", "822", "852", "853", "857", "877", "878", "895", "896")


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


def leaf_categories():
    return list(Category.objects.filter(children__isnull=True).order_by("slug"))


def lines_for(category):
    return LINES.get(category.slug) or LINES[PROFILE_LINES.get(category.profile, "anyaman")]


def _between(rng, low, high):
    return rng.randint(low, high) if isinstance(low, int) else rng.uniform(low, high)


def _log_between(rng, low, high):
    return low * (high / low) ** rng.random()


def _round_price(value):
    step = 500 if value < 100_000 else 1000 if value < 1_000_000 else 5000
    return max(step, int(round(value / step)) * step)


def _nice_int(value):
    """Round to 1–2 significant figures, the way people state MOQ and capacity."""
    if value < 20:
        return max(1, int(value))
    magnitude = 10 ** (int(math.log10(value)) - 1)
    return int(round(value / magnitude)) * magnitude


class CatalogueGenerator:
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

    # Producers ----------------------------------------------------------------------

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
                    workers=_nice_int(
                        _log_between(
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
                    description=f"{name}, {district.name}, {regency.short_name}.",
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

    # Products -----------------------------------------------------------------------

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
        price = _round_price(_log_between(rng, *line.price))
        capacity = _nice_int(_log_between(rng, *line.capacity))
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
        product = Product(
            code=self._product_code(regency),
            producer=producer,
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
            materials=materials,
            length_cm=dims[0],
            width_cm=dims[1],
            height_cm=dims[2],
            weight_kg=Decimal(f"{_between(rng, *line.weight):.3f}")
            if likely(0.5 + 0.5 * completeness)
            else None,
            unit=line.unit,
            price_idr=price if likely(0.6 + 0.4 * completeness) else None,
            moq=_nice_int(_log_between(rng, *line.moq))
            if likely(0.4 + 0.6 * completeness)
            else None,
            capacity_per_month=capacity if likely(0.5 + 0.5 * completeness) else None,
            lead_time_days=rng.randint(*line.lead) if likely(0.4 + 0.6 * completeness) else None,
            hs_code_id=line.hs if likely(0.3 + 0.7 * completeness) else None,
            # Food always carries its shelf life (Product.clean requires it).
            shelf_life_days=rng.randint(*line.shelf)
            if line.shelf and (is_food or likely(0.8))
            else None,
            storage_conditions=line.storage
            if line.storage and likely(0.5 + 0.5 * completeness)
            else "",
            packaging_description=rng.choice(PACKAGING.get(profile, PACKAGING["general"]))
            if packaging_status != "not_assessed" or likely(0.3)
            else "",
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
            self.log(f"{self.summary.products} products")
        return to_photograph

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
        started = time.perf_counter()
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
