"""Export readiness for China: the rules, each naming its source.

Each rule names its source in ``source``: GACC Decrees 248 and 280
(registration), GB 7718 (Chinese label), GACC Decree 249 (batch records), the ACFTA rules of
origin (HS code, Form E), IPPC ISPM-15 (wooden packing), the SVLK regulation (timber
legality), the BPJPH halal law, BPOM Regulation 4/2024 (SPP-IRT / MD), the PRC Tobacco
Monopoly Law, and trade practice for shelf life vs. route. They are not legal advice, and
the UI tells users to check with the authority named in ``source``. A rule's ``passes``
takes the ``ProductFacts`` and ``RouteSettings`` of ``catalogue.readiness.scoring``.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FOOD, WOOD, TOBACCO, AGRICULTURE, GENERAL = "food", "wood", "tobacco", "agri", "general"
ALL_PROFILES = frozenset({FOOD, WOOD, TOBACCO, AGRICULTURE, GENERAL})


@dataclass(frozen=True)
class Rule:
    key: str
    profiles: frozenset
    label: str | Promise
    source: str
    passes: object  # callable(ProductFacts, RouteSettings) -> bool
    blocker: bool = False
    # Why the rule matters and what to do about a gap, for the product page (translatable).
    explanation: str | Promise = ""


def _cert(kind):
    return lambda f, r: kind in f.valid_certifications


FOOD_ONLY = frozenset({FOOD})
WOOD_ONLY = frozenset({WOOD})

RULES = [
    # Items every profile checks: what TEC's catalogue needs, and the ACFTA rules of origin.
    Rule(
        "name_zh",
        ALL_PROFILES,
        _("Chinese product name"),
        "GB 7718; TEC catalogue",
        lambda f, r: bool(f.name_zh.strip()),
        explanation=_(
            "Chinese buyers look products up by their Chinese name, and a food label in China "
            "must carry it (GB 7718). Ask TEC or a translator for a Chinese name and enter it."
        ),
    ),
    Rule(
        "name_en",
        ALL_PROFILES,
        _("English product name"),
        "TEC catalogue",
        lambda f, r: bool(f.name_en.strip()),
        explanation=_(
            "TEC's catalogue and the trade papers use an English name beside the Chinese one. "
            "Enter a short, plain English name."
        ),
    ),
    Rule(
        "photos",
        ALL_PROFILES,
        _("At least 2 photos"),
        "TEC catalogue",
        lambda f, r: f.photo_count >= 2,
        explanation=_(
            "Buyers judge a product by its photos first; TEC's catalogue needs at least two (the "
            "whole product and a detail or its packaging). Upload clear photos on a plain "
            "background."
        ),
    ),
    Rule(
        "price",
        ALL_PROFILES,
        _("Price"),
        "TEC catalogue",
        lambda f, r: bool(f.price_idr),
        explanation=_(
            "Buyers cannot compare a product without a price. Enter the ex-works price per unit "
            "in Rupiah."
        ),
    ),
    Rule(
        "moq",
        ALL_PROFILES,
        _("Minimum order quantity"),
        "TEC catalogue",
        lambda f, r: bool(f.moq),
        explanation=_(
            "Buyers need to know the smallest order the producer accepts. Agree a minimum order "
            "quantity with the producer and enter it."
        ),
    ),
    Rule(
        "capacity",
        ALL_PROFILES,
        _("Monthly capacity"),
        "TEC catalogue",
        lambda f, r: bool(f.capacity_per_month),
        explanation=_(
            "Importers want to know whether repeat orders can be filled. Ask the producer how "
            "many units they can make in a month."
        ),
    ),
    Rule(
        "lead_time",
        ALL_PROFILES,
        _("Lead time"),
        "TEC catalogue",
        lambda f, r: f.lead_time_days is not None,
        explanation=_(
            "Buyers plan shipments around how long an order takes to make. Enter the usual number"
            " of days from order to goods ready."
        ),
    ),
    Rule(
        "hs_code",
        ALL_PROFILES,
        _("6-digit HS code"),
        "ACFTA rules of origin",
        lambda f, r: len(f.hs_code) == 6,
        explanation=_(
            "The 6-digit HS code decides China's import duty, the papers needed and the ACFTA "
            "origin rule that applies. Find the code with the producer or a customs broker and "
            "enter it."
        ),
    ),
    Rule(
        "origin",
        ALL_PROFILES,
        _("Origin criterion for Form E (e-SKA)"),
        "ACFTA rules of origin",
        lambda f, r: bool(f.origin_criterion),
        explanation=_(
            "With an ACFTA certificate of origin (Form E, issued as e-SKA) the buyer pays less "
            "duty. Which origin criterion applies (wholly obtained, regional value content of at "
            "least 40 per cent, or change of tariff heading) depends on the HS code: work it out "
            "with the office that issues e-SKA."
        ),
    ),
    Rule(
        "packaging",
        ALL_PROFILES,
        _("Packaging rated export-ready"),
        "TEC catalogue",
        lambda f, r: f.packaging_status == "export_ready",
        explanation=_(
            "Packaging must survive weeks at sea and look right to Chinese buyers. Have the "
            "packaging assessed and improved until it is rated export-ready."
        ),
    ),
    Rule(
        "dimensions",
        ALL_PROFILES,
        _("Dimensions or weight"),
        "TEC catalogue",
        lambda f, r: f.has_dimensions,
        explanation=_(
            "Freight is priced by size and weight, and buyers need both to plan containers. "
            "Measure the product or its pack, and weigh it."
        ),
    ),
    # Rule 5: solid-wood packing must be ISPM-15 treated, whatever the product.
    Rule(
        "ispm15",
        ALL_PROFILES,
        _("Wooden packing ISPM-15 treated"),
        "IPPC ISPM-15",
        lambda f, r: f.wood_packaging != "untreated",
        explanation=_(
            "China refuses solid-wood crates and pallets (thicker than 6 mm) that are not ISPM-15"
            " treated (heat or fumigation) and marked. Use treated, marked wood, or plywood, MDF "
            "or OSB, which are exempt."
        ),
    ),
    # Rule 6: SVLK / V-Legal for wood products.
    Rule(
        "svlk",
        WOOD_ONLY,
        _("SVLK / V-Legal certificate"),
        "Indonesian timber legality regulation (SVLK)",
        _cert("svlk"),
        explanation=_(
            "Indonesia lets wood products, furniture and wooden handicraft leave the country only"
            " with SVLK timber legality documents (V-Legal). Help the producer get an SVLK "
            "certificate and record its number and expiry date."
        ),
    ),
    # Rules 1–3, 7, 8, 10: food and beverage.
    Rule(
        "gacc",
        FOOD_ONLY,
        _("GACC registration (valid)"),
        "GACC Decrees 248 and 280",
        _cert("gacc"),
        explanation=_(
            "China's customs (GACC) must register the overseas food maker before its food can be "
            "imported; the registration number goes on the inner and outer packaging. Register or"
            " renew in GACC's CIFER system and record the number and expiry date."
        ),
    ),
    Rule(
        "gacc_route",
        FOOD_ONLY,
        _("GACC registration route known"),
        "GACC Decrees 248 and 280",
        lambda f, r: bool(f.gacc_route),
        explanation=_(
            "For 18 higher-risk food categories (such as condiments, nuts and seeds, dried fruit "
            "and bee products) the Indonesian authority must recommend the maker to GACC; other "
            "food makers register themselves in CIFER. Find out which route applies to this "
            "product."
        ),
    ),
    Rule(
        "cn_label",
        FOOD_ONLY,
        _("Compliant Chinese label"),
        "GB 7718",
        lambda f, r: f.label_status == "compliant",
        explanation=_(
            "Prepackaged food sold in China needs a Chinese label under GB 7718 (name, "
            "ingredients, net content, producer, dates, storage, country of origin, importer), "
            "with Chinese text no smaller than any other text. Have a label drafted and checked."
        ),
    ),
    Rule(
        "importer",
        FOOD_ONLY,
        _("Chinese importer or agent known"),
        "GB 7718",
        lambda f, r: f.importer_known,
        explanation=_(
            "The Chinese label must name the importer or agent in China. Find an importer or "
            "agent, for example through TEC, and note that one is known."
        ),
    ),
    Rule(
        "shelf_life",
        FOOD_ONLY,
        _("Shelf life in days"),
        "GB 7718; GACC Decree 249",
        lambda f, r: bool(f.shelf_life_days),
        explanation=_(
            "The Chinese label and the importer's batch records both need the shelf life. Enter "
            "the tested shelf life in days."
        ),
    ),
    Rule(
        "storage",
        FOOD_ONLY,
        _("Storage conditions"),
        "GB 7718",
        lambda f, r: bool(f.storage_conditions.strip()),
        explanation=_(
            "The Chinese label must say how to store the food (GB 7718). Enter the storage "
            'conditions, for example "store in a cool, dry place".'
        ),
    ),
    Rule(
        "batch_coding",
        FOOD_ONLY,
        _("Batch coding on packs"),
        "GACC Decree 249",
        lambda f, r: f.batch_coding,
        explanation=_(
            "Chinese importers must record every batch they bring in (GACC Decree 249), so each "
            "pack needs a batch or production code. Print a batch code on every pack."
        ),
    ),
    Rule(
        "halal",
        FOOD_ONLY,
        _("Halal certificate (BPJPH)"),
        "Indonesian halal product assurance law (BPJPH)",
        _cert("halal"),
        explanation=_(
            "Indonesian law requires halal certification (BPJPH) for food and drink, for micro "
            "and small firms from 17 October 2026. China does not require it, but many buyers ask"
            " for it. Apply through BPJPH."
        ),
    ),
    Rule(
        "food_permit",
        FOOD_ONLY,
        _("SPP-IRT or BPOM MD number"),
        "BPOM Regulation 4/2024",
        lambda f, r: bool({"spp_irt", "bpom_md"} & f.valid_certifications),
        explanation=_(
            "Food sold in Indonesia needs an SPP-IRT number (home-made, low-risk food) or a BPOM "
            "MD number (higher-risk food), and buyers ask for it. Apply for the one that fits the"
            " product and record it."
        ),
    ),
    Rule(
        "shelf_life_route",
        FOOD_ONLY,
        _("Shelf life outlasts the route to China"),
        "Trade practice",
        lambda f, r: bool(f.shelf_life_days) and f.shelf_life_days >= r.minimum_shelf_life(),
        blocker=True,
        explanation=_(
            "The food must still have enough shelf life left when it reaches the shop: sea "
            "freight and customs to China take about 3 to 6 weeks. A product with too short a "
            "shelf life is not ready, whatever else it has; look at recipes or packaging that "
            "keep longer."
        ),
    ),
]
RULES_BY_KEY = {rule.key: rule for rule in RULES}


def rules_for(profile):
    return [rule for rule in RULES if profile in rule.profiles]
