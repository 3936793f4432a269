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
very expressions written below (migration 0008; with the status and the product's regency
in one multi-column index, migration 0015). On SQLite an FTS5 trigram index finds the
same products as ``LIKE`` for words of three characters or more (catalogue/search_index.py,
migration 0014); shorter words keep the plain ``LIKE``.

Why trigrams rather than ``tsvector`` full-text search: the names are short, in three
languages, and Chinese has no spaces, so the ``simple`` parser would keep "油桶椅" as one
token and never find "油桶"; every token or prefix match of full-text search is a substring
match, which the trigram index already serves, typos included.
"""

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Upper

from catalogue import search_index
from catalogue.models import Producer
from catalogue.validators import normalise_hs_code

# The indexed expression of migrations 0008 and 0015; ``_SearchText`` writes the same
# expression with qualified column names, or PostgreSQL could not use the indexes.
PRODUCT_TEXT = (
    "UPPER(code::text || ' ' || name_id::text || ' ' || name_en::text || ' ' || name_zh::text)"
)

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


class EqualsAnyOfArray(Func):
    """``column = ANY(ARRAY(subquery))`` (PostgreSQL, "Array Constructors" and "Row and
    Array Comparisons" in its manual). The column is an expression, so Django names it
    with the alias of the query it ends up in, also when the queryset is nested inside
    another query on the same table (``pk__in=…``, ``Exists``, ``Subquery``)."""

    arity = 2
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)  # "(SELECT …)"
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)


class _SearchText(Func):
    """``PRODUCT_TEXT`` with the columns named by Django, so that it names the alias of
    the query it ends up in (also nested in another query on the products)."""

    template = "UPPER(%(expressions)s::text)"
    arg_joiner = "::text || ' ' || "
    output_field = TextField()


class _Like(Func):
    arity = 2
    template = "%(expressions)s"
    arg_joiner = " LIKE "
    output_field = BooleanField()


class _WordSimilar(Func):
    """``word <% text``: pg_trgm's "word similarity above pg_trgm.word_similarity_threshold
    (0.6)". "%%" is a literal "%" once the parameters are bound."""

    arity = 2
    template = "%(expressions)s"
    arg_joiner = " <%% "
    output_field = BooleanField()


def _search_text():
    return _SearchText(F("code"), F("name_id"), F("name_en"), F("name_zh"))


def _matching_postgresql(term, fuzzy):
    """One condition per word on the product row itself: its names or code, its
    producer's name, an HS prefix. With the status and regency filters beside it in the
    same WHERE, PostgreSQL reads the matches from one multi-column GIN index (status,
    regency, search text; migration 0015): one bitmap per branch, OR-ed, before any row."""
    pattern = Upper(Value(_like_pattern(term)))
    word = Upper(Value(term))
    in_text = Q(_Like(_search_text(), pattern))
    producer_named = Q(_Like(Upper(F("name")), pattern))
    if fuzzy:
        in_text |= Q(_WordSimilar(word, _search_text()))
        producer_named |= Q(_WordSimilar(word, Upper(F("name"))))
    producers = Producer.objects.filter(producer_named).order_by().values("pk")
    # "= ANY(ARRAY(…))": the producers are found once, then the (producer, status) index.
    condition = in_text | Q(EqualsAnyOfArray(F("producer_id"), Subquery(producers)))
    hs = _hs_prefix(term)
    if hs:
        condition |= Q(hs_code__code__startswith=hs)
    return condition


def _exact_postgresql(term):
    """``term`` found without a typo in the row: the ranking's test, on the matches only."""
    condition = Q(_Like(_search_text(), Upper(Value(_like_pattern(term)))))
    condition |= made_by_producer_named(term)
    hs = _hs_prefix(term)
    if hs:
        condition |= Q(hs_code__code__startswith=hs)
    return condition


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
        condition |= Q(hs_code__code__startswith=hs)
    return condition


def _products_postgresql(queryset, terms, rank):
    condition = Q()
    exact = Q()
    any_fuzzy = False
    for term in terms:
        fuzzy = _fuzzy(term)
        any_fuzzy |= fuzzy
        condition &= _matching_postgresql(term, fuzzy)
        exact &= _exact_postgresql(term)
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
