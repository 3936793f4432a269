from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerKind(models.TextChoices):
    HOME_INDUSTRY = "home_industry", _("Home industry")
    SME = "sme", _("SME (UMKM)")
    COOPERATIVE = "cooperative", _("Cooperative")
    VOCATIONAL_SCHOOL = "smk", _("Vocational school (SMK)")
    STATE_COMPANY = "state_company", _("State company")
    COMPANY = "company", _("Private company")


class ReadinessProfile(models.TextChoices):
    FOOD = "food", _("Food & beverage")
    WOOD = "wood", _("Wood & furniture")
    TOBACCO = "tobacco", _("Tobacco")
    AGRICULTURE = "agri", _("Agricultural produce")
    GENERAL = "general", _("General (handicraft, textile, metal)")


class Unit(models.TextChoices):
    PIECE = "pcs", _("piece")
    SET = "set", _("set")
    KG = "kg", _("kg")
    PACK = "pack", _("pack")
    BOX = "box", _("box")
    BOTTLE = "bottle", _("bottle")
    LITRE = "l", _("litre")
    METRE = "m", _("metre")
    SHEET = "sheet", _("sheet")


class PromotionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CANDIDATE = "candidate", _("Candidate")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    PROMOTED = "promoted", _("Promoted")
    BUYER_INTEREST = "buyer_interest", _("Buyer interest")
    EXPORTED = "exported", _("Exported")
    NOT_SUITABLE = "not_suitable", _("Not suitable")


class PackagingStatus(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
    EXPORT_READY = "export_ready", _("Export-ready")


class WoodPackaging(models.TextChoices):
    """ISPM-15 (IPPC): solid wood packing over 6 mm must be treated and marked."""

    NONE = "none", _("No solid-wood packing")
    TREATED = "treated", _("Solid wood, ISPM-15 treated and marked")
    UNTREATED = "untreated", _("Solid wood, not treated")


class LabelStatus(models.TextChoices):
    """Chinese label per GB 7718 for prepackaged food."""

    NONE = "none", _("No Chinese label")
    DRAFT = "draft", _("Draft label")
    COMPLIANT = "compliant", _("Compliant label")


class GaccRoute(models.TextChoices):
    """GACC Decrees 248/280: recommended by the home authority, or self-registered."""

    UNKNOWN = "", _("Not known")
    RECOMMENDED = "recommended", _("Recommended by the home authority")
    SELF_REGISTERED = "self_registered", _("Self-registered (CIFER)")


class OriginCriterion(models.TextChoices):
    """ACFTA rules of origin (Form E / e-SKA)."""

    UNKNOWN = "", _("Not known")
    WHOLLY_OBTAINED = "wo", _("Wholly obtained")
    RVC40 = "rvc40", _("Regional value content ≥ 40 %")
    CTH = "cth", _("Change of tariff heading")


class CertificationKind(models.TextChoices):
    GACC = "gacc", _("GACC registration (China customs)")
    HALAL = "halal", _("Halal (BPJPH)")
    BPOM_MD = "bpom_md", _("BPOM MD")
    SPP_IRT = "spp_irt", _("SPP-IRT")
    SVLK = "svlk", _("SVLK / V-Legal")
    ISPM15 = "ispm15", _("ISPM-15 treatment")
    SNI = "sni", _("SNI")
    HACCP = "haccp", _("HACCP")
    ISO = "iso", _("ISO")
    ORGANIC = "organic", _("Organic")
    OTHER = "other", _("Other")
