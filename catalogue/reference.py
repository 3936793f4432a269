"""Reference data shipped with the catalogue: HS 2022 codes and the starter category tree.

HS codes: ``catalogue/data/hs_SOURCE.txt`` (UN Comtrade H6 via datasets/harmonized-system,
PDDL). Readiness profiles (``catalogue.readiness``, each rule naming its source): food, wood,
tobacco, agricultural produce and general each bring their own rules.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def _read(name):
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_hs_codes(HSCode):
    """Insert chapters, headings and subheadings that are not there yet."""
    regional = {row["code"] for row in _read("hs_selected.csv")}
    known = set(HSCode.objects.values_list("code", flat=True))
    rows = _read("hs4.csv") + _read("hs6.csv")
    HSCode.objects.bulk_create(
        [
            HSCode(
                code=row["code"],
                description=row["description"],
                parent=row["parent"],
                level=len(row["code"]),
                regional=row["code"] in regional,
            )
            for row in rows
            if row["code"] not in known
        ],
        batch_size=1000,
    )


# slug, Indonesian, English, Chinese, profile, children
CATEGORY_TREE = [
    (
        "kerajinan",
        "Kerajinan tangan",
        "Handicraft",
        "手工艺品",
        "general",
        [
            (
                "kerajinan-kayu",
                "Kerajinan kayu & ukiran",
                "Wood carving & crafts",
                "木雕工艺品",
                "wood",
            ),
            (
                "anyaman",
                "Anyaman bambu & rotan",
                "Bamboo & rattan weaving",
                "竹藤编织品",
                "general",
            ),
            ("keramik", "Keramik & gerabah", "Ceramics & pottery", "陶瓷制品", "general"),
        ],
    ),
    (
        "furnitur",
        "Furnitur",
        "Furniture",
        "家具",
        "wood",
        [
            ("furnitur-kayu", "Furnitur kayu", "Wooden furniture", "木制家具", "wood"),
            (
                "furnitur-logam",
                "Furnitur logam & drum",
                "Metal & drum furniture",
                "金属及油桶家具",
                "general",
            ),
        ],
    ),
    (
        "makanan-minuman",
        "Makanan & minuman",
        "Food & beverage",
        "食品饮料",
        "food",
        [
            (
                "makanan-olahan",
                "Makanan olahan & camilan",
                "Processed food & snacks",
                "加工食品及零食",
                "food",
            ),
            ("kopi-teh", "Kopi & minuman", "Coffee & drinks", "咖啡及饮品", "food"),
            ("gula-madu", "Gula aren & madu", "Palm sugar & honey", "棕榈糖及蜂蜜", "food"),
        ],
    ),
    (
        "tembakau",
        "Tembakau",
        "Tobacco",
        "烟草",
        "tobacco",
        [
            ("cerutu", "Cerutu", "Cigars", "雪茄", "tobacco"),
            ("tembakau-daun", "Tembakau daun", "Tobacco leaf", "烟叶", "tobacco"),
        ],
    ),
    (
        "hasil-pertanian",
        "Hasil pertanian",
        "Agricultural produce",
        "农产品",
        "agri",
        [
            ("buah-segar", "Buah segar", "Fresh fruit", "新鲜水果", "agri"),
            (
                "sayur-beku",
                "Sayur & edamame beku",
                "Frozen vegetables & edamame",
                "冷冻蔬菜及毛豆",
                "agri",
            ),
        ],
    ),
    (
        "tekstil-fesyen",
        "Tekstil & fesyen",
        "Textile & fashion",
        "纺织与时装",
        "general",
        [
            ("batik", "Batik", "Batik", "蜡染布", "general"),
            ("tas-aksesori", "Tas & aksesori", "Bags & accessories", "箱包及配饰", "general"),
        ],
    ),
    ("minyak-atsiri", "Minyak atsiri", "Essential oils", "精油", "general", []),
]


def load_categories(Category):
    """Create the starter tree; categories already there (by slug) are left as they are."""
    for position, (slug, name, name_en, name_zh, profile, children) in enumerate(CATEGORY_TREE):
        parent, _ = Category.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "name_zh": name_zh,
                "profile": profile,
                "position": position * 10,
            },
        )
        for child_position, (c_slug, c_name, c_en, c_zh, c_profile) in enumerate(children):
            Category.objects.get_or_create(
                slug=c_slug,
                defaults={
                    "name": c_name,
                    "name_en": c_en,
                    "name_zh": c_zh,
                    "profile": c_profile,
                    "parent": parent,
                    "position": child_position,
                },
            )
