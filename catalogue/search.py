"""How ``q`` finds records, chosen per database vendor.

The contract, the same on SQLite and PostgreSQL (tested in tests/catalogue/test_search.py):
the query is split into words, and a record is returned when *every* word occurs,
case-insensitively and anywhere, in one of its search fields — for products the code, the
Indonesian, English and Chinese names and the producer's name — or, for a word of at least
four digits (dots allowed, "2402.10"), when the product's HS code starts with it.

On PostgreSQL a word may also match by trigram word similarity (``pg_trgm``'s ``<%``), so
typos and spelling variants in names still find the product ("cerutoo" → "Cerutu",
"arabica" → "Kopi Arabika", "suwarsuwir" → "Suwar-suwir"). Such fuzzy matches come after
the exact ones unless the user chose a sort. Both tests run on GIN trigram indexes over the
very expressions written below (migration 0008). On SQLite an FTS5 trigram index finds the
same products as ``LIKE`` for words of three characters or more (catalogue/search_index.py,
migration 0014); shorter words keep the plain ``LIKE``.

Why trigrams rather than ``tsvector`` full-text search: the names are short, in three
languages, and Chinese has no spaces, so the ``simple`` parser would keep "油桶椅" as one
token and never find "油桶"; every token or prefix match of full-text search is a substring
match, which the trigram index already serves, typos included.
"""

from django.db import connections
from django.db.models import Case, Q, QuerySet, Subquery, Value, When
from django.db.models.expressions import RawSQL

from catalogue import search_index
from catalogue.models import Producer
from catalogue.validators import normalise_hs_code

# Kept character for character equal to the indexed expressions of migration 0008, or
# PostgreSQL cannot use the indexes.
PRODUCT_TEXT = (
    "UPPER(code::text || ' ' || name_id::text || ' ' || name_en::text || ' ' || name_zh::text)"
)
PRODUCER_TEXT = "UPPER(name::text)"

# Typos are searched only in words long enough for trigrams to tell them apart, and never
# in words with digits: codes and HS numbers are exact or nothing.
FUZZY_MIN_LENGTH = 4


def words(value):
    return value.split()


def _hs_prefix(term):
    hs = normalise_hs_code(term)
    return hs if hs.isdigit() and len(hs) >= 4 else ""


def contains_all_words(queryset, value, fields, code_fields=(), extra=None):
    """Every word must occur in one of ``fields`` (case-insensitive, anywhere in the text).

    ``extra(term)`` may add a condition per word (e.g. "made by a producer named …").
    This is the portable search, and the one used on SQLite.
    """
    terms = words(value)
    if not terms:
        return queryset
    condition = Q()
    for term in terms:
        term_q = Q()
        for field in fields:
            term_q |= Q(**{f"{field}__icontains": term})
        hs = _hs_prefix(term)
        if hs:
            for field in code_fields:
                term_q |= Q(**{f"{field}__startswith": hs})
        if extra is not None:
            term_q |= extra(term)
        condition &= term_q
    return queryset.filter(condition)


def made_by_producer_named(term):
    # A subquery instead of a join: the product rows are matched without joining every
    # candidate to its producer, which keeps filtered lists fast at 100,000 products.
    return Q(
        producer_id__in=Subquery(
            Producer.objects.filter(name__icontains=term).order_by().values("pk")
        )
    )


def _like_pattern(term):
    # Same escaping as Django's icontains: the user's % and _ are plain characters.
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fuzzy(term):
    return len(term) >= FUZZY_MIN_LENGTH and not any(ch.isdigit() for ch in term)


def _product_ids_matching(term, fuzzy):
    """One subquery of product ids per word: names/code, producer name, HS prefix."""
    pattern = _like_pattern(term)
    # "%%" is a literal "%" once the parameters are bound: "<%" is pg_trgm's operator
    # "word similarity above pg_trgm.word_similarity_threshold (0.6)".
    product_fuzzy = f" OR UPPER(%s) <%% {PRODUCT_TEXT}" if fuzzy else ""
    producer_fuzzy = f" OR UPPER(%s) <%% {PRODUCER_TEXT}" if fuzzy else ""
    # Only constants are formatted into the SQL; the user's words are bound parameters.
    sql = (
        f"SELECT id FROM catalogue_product WHERE {PRODUCT_TEXT} LIKE UPPER(%s){product_fuzzy}"  # noqa: S608
        " UNION ALL SELECT id FROM catalogue_product WHERE producer_id IN ("
        f"SELECT id FROM catalogue_producer WHERE {PRODUCER_TEXT} LIKE UPPER(%s)"
        f"{producer_fuzzy})"
    )
    params = [pattern, term] if fuzzy else [pattern]
    params += [pattern, term] if fuzzy else [pattern]
    hs = _hs_prefix(term)
    if hs:
        sql += " UNION ALL SELECT id FROM catalogue_product WHERE hs_code_id LIKE %s"
        params.append(f"{hs}%")
    return Q(pk__in=RawSQL(sql, params))  # noqa: S611 (parameters bound, see above)


def _exact_in_row(term):
    """``term`` found without a typo in the row itself: the ranking's test, on the rows
    the search found. A word has no space, so it occurs in the concatenated text exactly
    when it occurs in one of the fields; unlike ``_product_ids_matching`` this reads no
    other products (a second pass over the matches cost 13 ms at 100,000 products)."""
    condition = Q()
    for field in ("code", "name_id", "name_en", "name_zh"):
        condition |= Q(**{f"{field}__icontains": term})
    condition |= made_by_producer_named(term)
    hs = _hs_prefix(term)
    if hs:
        condition |= Q(hs_code_id__startswith=hs)
    return condition


def _products_postgresql(queryset, terms, rank):
    condition = Q()
    exact = Q()
    any_fuzzy = False
    for term in terms:
        fuzzy = _fuzzy(term)
        any_fuzzy |= fuzzy
        condition &= _product_ids_matching(term, fuzzy)
        exact &= _exact_in_row(term)
    queryset = queryset.filter(condition)
    if rank and any_fuzzy:
        exact_first = Case(When(exact, then=Value(0)), default=Value(1))
        queryset = queryset.order_by(exact_first, *queryset.model._meta.ordering)
    return queryset


def _products_indexed(queryset, terms):
    """SQLite: each word of three characters or more from the FTS5 index, the shorter
    ones by ``LIKE``; the same rows as ``contains_all_words`` (tests/catalogue/
    test_search_index.py)."""
    condition = Q()
    for term in terms:
        if not search_index.usable_for(term):
            condition &= _exact_in_row(term)
            continue
        term_q = search_index.products_with(term)
        hs = _hs_prefix(term)
        if hs:
            # A range on the HS code's index: the codes starting with these digits ("2402"
            # up to "2402:", the character after "9"); SQLite's LIKE would read every row.
            term_q |= Q(hs_code_id__gte=hs, hs_code_id__lt=f"{hs}:")
        condition &= term_q
    return queryset.filter(condition)


def products(queryset: QuerySet, value: str, rank: bool = True) -> QuerySet:
    """Products matching every word of ``value`` (see the module docstring).

    ``rank``: on PostgreSQL, list exact matches before fuzzy ones (pass False when the user
    chose a sort, which then wins).
    """
    terms = words(value)
    if not terms:
        return queryset
    connection = connections[queryset.db]
    if connection.vendor == "postgresql":
        return _products_postgresql(queryset, terms, rank)
    if search_index.supported(connection):
        return _products_indexed(queryset, terms)
    return contains_all_words(
        queryset,
        value,
        ["code", "name_id", "name_en", "name_zh"],
        code_fields=["hs_code__code"],
        extra=made_by_producer_named,
    )


def producers(queryset: QuerySet, value: str) -> QuerySet:
    """Producers with every word in their code, name, contact, village or address.

    5,000 producers for 100,000 products: the plain search is fast on both databases.
    """
    return contains_all_words(
        queryset, value, ["code", "name", "contact_person", "village", "address"]
    )
