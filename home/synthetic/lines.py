"""What each category makes: product lines with their names in three languages, real HS
subheadings and plausible figures (price, weight, size, shelf life, MOQ, capacity)."""

from dataclasses import dataclass


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


def lines_for(category):
    return LINES.get(category.slug) or LINES[PROFILE_LINES.get(category.profile, "anyaman")]
