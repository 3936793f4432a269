"""Regional colour and word lists: what each regency is known for, where its producers
are, how statuses and producer kinds are spread, packaging, certificates, tags and the
words that make names, people and addresses."""

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
# English and Chinese of the packaging and storage texts above and in ``lines``.
TRANSLATIONS = {
    "Standing pouch aluminium foil dengan zipper, 24 pouch per karton": (
        "Aluminium-foil stand-up pouch with zipper, 24 pouches per carton",
        "铝箔自立拉链袋，每箱24袋",
    ),
    "Toples PET bersegel, 12 toples per karton": (
        "Sealed PET jars, 12 jars per carton",
        "密封PET罐，每箱12罐",
    ),
    "Kemasan vakum dalam karton berlapis": (
        "Vacuum packs in lined cartons",
        "真空包装，外装内衬纸箱",
    ),
    "Botol kaca bersegel, karton bersekat": (
        "Sealed glass bottles in partitioned cartons",
        "密封玻璃瓶，分格纸箱装",
    ),
    "Bubble wrap dan kardus tebal, sudut diberi pelindung": (
        "Bubble wrap and heavy carton with corner protectors",
        "气泡膜加厚纸箱，四角加护角",
    ),
    "Peti kayu, sistem knock-down": ("Wooden crate, knock-down", "木箱包装，可拆装"),
    "Karton lima lapis, sistem knock-down": (
        "Five-ply carton, knock-down",
        "五层瓦楞纸箱，可拆装",
    ),
    "Kotak kayu cedar isi 10 atau 25 batang, tabung aluminium per batang": (
        "Cedar box of 10 or 25 cigars, each in an aluminium tube",
        "雪松木盒装，每盒10支或25支，每支配铝管",
    ),
    "Bal tembakau dibungkus tikar dan goni, 50 kg per bal": (
        "Tobacco bales wrapped in matting and jute, 50 kg per bale",
        "烟叶打包，外裹草席和麻袋，每包50公斤",
    ),
    "Kardus berventilasi 10 kg, buah dibungkus jaring busa": (
        "Ventilated 10 kg carton, each fruit in a foam net",
        "10公斤透气纸箱，每个果实套泡沫网",
    ),
    "Karton berlapis lilin 5 kg untuk rantai dingin": (
        "Waxed 5 kg carton for the cold chain",
        "5公斤涂蜡纸箱，适合冷链运输",
    ),
    "Kantong PE 500 g dalam karton 10 kg, beku": (
        "500 g PE bags in 10 kg cartons, frozen",
        "500克PE袋装，每箱10公斤，冷冻",
    ),
    "Plastik dan kardus, 20 pcs per karton": (
        "Plastic bags and carton, 20 pieces per carton",
        "塑料袋加纸箱，每箱20件",
    ),
    "Polybag per item dalam karton lima lapis": (
        "Each item in a polybag, in five-ply cartons",
        "单件独立塑料袋，外装五层纸箱",
    ),
    "Kotak hadiah dari kertas daur ulang": (
        "Gift box of recycled paper",
        "再生纸礼盒",
    ),
    "Simpan di tempat kering dan sejuk, terhindar dari sinar matahari langsung": (
        "Store in a cool, dry place away from direct sunlight",
        "置于阴凉干燥处，避免阳光直射",
    ),
    "Simpan dalam wadah tertutup rapat di tempat kering dan sejuk": (
        "Keep in a tightly closed container in a cool, dry place",
        "密封保存于阴凉干燥处",
    ),
    "Simpan dingin pada suhu 8–10 °C": ("Keep chilled at 8–10 °C", "8–10 °C冷藏"),
    "Simpan beku pada suhu −18 °C atau lebih rendah": (
        "Keep frozen at −18 °C or below",
        "−18 °C及以下冷冻保存",
    ),
    "Simpan di humidor 16–18 °C, 65–70 %": (
        "Keep in a humidor at 16–18 °C, 65–70 % humidity",
        "存放于雪茄保湿柜，温度16–18 °C，湿度65–70%",
    ),
}
