"""The reference data the data migrations load (regencies, districts, HS codes, categories,
role groups), loaded again: the flush after a transactional test empties every table."""


def load_reference_data():
    """What the data migrations load, again (each loader is idempotent; ≈0.5 s)."""
    from catalogue.models import Category, HSCode
    from catalogue.reference import load_categories, load_hs_codes
    from core.roles import sync_role_groups
    from regions.models import District, Regency
    from regions.reference import load_regions

    load_regions(Regency, District)
    load_hs_codes(HSCode)
    load_categories(Category)
    sync_role_groups()
