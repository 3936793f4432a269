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

from home.synthetic.generator import DEFAULT_BATCH, Summary, generate_catalogue

__all__ = ["DEFAULT_BATCH", "Summary", "generate_catalogue"]
