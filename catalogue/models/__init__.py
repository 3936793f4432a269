"""The catalogue's models, one module per subject; ``catalogue.models.X`` names them all."""

from catalogue.models.classification import Category, HSCode, Tag
from catalogue.models.producers import Producer, next_code
from catalogue.models.products import (
    Certification,
    Product,
    ProductPhoto,
    StatusChange,
)
from catalogue.models.spreadsheets import ExportRecord, ImportBatch
from catalogue.models.tallies import ProductTally

__all__ = [
    "Category",
    "Certification",
    "ExportRecord",
    "HSCode",
    "ImportBatch",
    "Producer",
    "Product",
    "ProductPhoto",
    "ProductTally",
    "StatusChange",
    "Tag",
    "next_code",
]
