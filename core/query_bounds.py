"""Bounds on what a list reads from its query string, before any filter sees it.

Every list, export, lookbook and bulk action reads its query string through
``core.listing.ListQuery``, which bounds it here first; ``BoundedFilterSet`` bounds a
FilterSet's data as well, for any other use. So none of them can be brought down by a query
string, and each says on the page what it ignored.

Why these bounds:

- Search: every word adds a condition, so 1,000 words built an expression SQLite refused
  ("Expression tree is too large (maximum depth 1000)") and 300 words took 19 s on 100,000
  products; one 60,000-character word passed SQLite's LIKE pattern limit of 50,000 bytes
  ("LIKE or GLOB pattern too complex", SQLITE_MAX_LIKE_PATTERN_LENGTH, sqlite.org/limits.html).
  A product name is a few words; 10 words and 200 characters leave room for any real search.
- NUL: PostgreSQL's text types cannot hold the character 0x00 ("PostgreSQL text fields
  cannot contain NUL (0x00) bytes", psycopg), and lone surrogates cannot be encoded to UTF-8
  for either database, so a value holding one is dropped.
- Other values: codes, slugs, numbers, dates and sort keys are short; a value over 200
  characters is no filter value and is dropped. Repeated parameters are read once each and
  at most 20 distinct values (a list has 8 statuses); Django itself answers 400 to more than
  DATA_UPLOAD_MAX_NUMBER_FIELDS fields (config/settings.py).
"""

from dataclasses import dataclass

import django_filters
from django.http import QueryDict
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.filter_copies import CopiedFiltersMetaclass

MAX_SEARCH_WORDS = 10
MAX_SEARCH_LENGTH = 200
MAX_VALUE_LENGTH = 200
MAX_VALUES = 20
MAX_KEY_LENGTH = 50
# How much of the ignored search text the notice repeats.
SHOWN_IGNORED_LENGTH = 80

WORDS, LENGTH, CHARACTERS, TOO_LONG, TOO_MANY = "words", "length", "characters", "long", "many"


@dataclass(frozen=True)
class Ignored:
    """Part of the query string that was not read: ``param``, why, and what (for search)."""

    param: str
    reason: str
    text: str = ""


def storable(text):
    """False for text that a database cannot store: NUL or a lone surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def bound_search(value):
    """(kept text, ignored text, reason or "") of a search: at most 10 words, 200 characters."""
    terms = value.split()
    text = " ".join(terms)
    kept = " ".join(terms[:MAX_SEARCH_WORDS])
    reason = WORDS if len(terms) > MAX_SEARCH_WORDS else ""
    if len(kept) > MAX_SEARCH_LENGTH:
        kept = kept[:MAX_SEARCH_LENGTH].rstrip()
        reason = LENGTH
    if not reason:
        return value, "", ""
    return kept, text[len(kept) :].strip(), reason


def bound_query(data, search_params=("q",)):
    """(bounded QueryDict, [Ignored]) of ``data`` (a QueryDict or a dict)."""
    if not hasattr(data, "lists"):
        raw, data = data, QueryDict(mutable=True)
        for key, value in raw.items():
            data.setlist(key, list(value) if isinstance(value, (list, tuple)) else [value])
    bounded = QueryDict(mutable=True)
    ignored = []
    for key, values in data.lists():
        if len(key) > MAX_KEY_LENGTH or not storable(key):
            continue  # no filter has such a name: nothing to tell
        kept = []
        for value in dict.fromkeys(str(v) for v in values):  # each value once, in order
            if not storable(value):
                ignored.append(Ignored(key, CHARACTERS))
            elif key in search_params:
                text, rest, reason = bound_search(value)
                kept.append(text)
                if reason:
                    ignored.append(Ignored(key, reason, rest))
            elif len(value) > MAX_VALUE_LENGTH:
                ignored.append(Ignored(key, TOO_LONG))
            else:
                kept.append(value)
        if len(kept) > MAX_VALUES:
            kept = kept[:MAX_VALUES]
            ignored.append(Ignored(key, TOO_MANY))
        if kept:
            bounded.setlist(key, kept)
    return bounded, list(dict.fromkeys(ignored))


def shown_text(text):
    """``text`` for the notice: cut after the last whole word that fits (or, in text without
    spaces such as Chinese, after ``SHOWN_IGNORED_LENGTH`` characters)."""
    if len(text) <= SHOWN_IGNORED_LENGTH:
        return text
    cut = text[: SHOWN_IGNORED_LENGTH + 1]
    if " " in cut:
        return cut[: cut.rindex(" ")].rstrip() + " …"
    return Truncator(text).chars(SHOWN_IGNORED_LENGTH)


def describe(item, label):
    """The notice for one ``Ignored``, in the active language; ``label`` names the field."""
    shown = shown_text(item.text)
    if item.reason == WORDS:
        return ngettext(
            "Only the first %(max)s word of the search was used; ignored: %(ignored)s",
            "Only the first %(max)s words of the search were used; ignored: %(ignored)s",
            MAX_SEARCH_WORDS,
        ) % {"max": MAX_SEARCH_WORDS, "ignored": shown}
    if item.reason == LENGTH:
        return ngettext(
            "Only the first %(max)s character of the search was used; ignored: %(ignored)s",
            "Only the first %(max)s characters of the search were used; ignored: %(ignored)s",
            MAX_SEARCH_LENGTH,
        ) % {"max": MAX_SEARCH_LENGTH, "ignored": shown}
    if item.reason == CHARACTERS:
        return _(
            "%(field)s: a value with a character that cannot be read (such as NUL) was ignored."
        ) % {"field": label}
    if item.reason == TOO_LONG:
        return ngettext(
            "%(field)s: a value longer than %(max)s character was ignored.",
            "%(field)s: a value longer than %(max)s characters was ignored.",
            MAX_VALUE_LENGTH,
        ) % {"field": label, "max": MAX_VALUE_LENGTH}
    return ngettext(
        "%(field)s: only the first %(max)s value was used.",
        "%(field)s: only the first %(max)s values were used.",
        MAX_VALUES,
    ) % {"field": label, "max": MAX_VALUES}


class _OwnFields(dict):
    """A form class's fields that belong to one form: its ``copy.deepcopy`` copies the dict."""

    def __deepcopy__(self, memo):
        return dict(self)


class BoundedFilterSet(django_filters.FilterSet, metaclass=CopiedFiltersMetaclass):
    """A FilterSet that reads its data through ``bound_query`` (see the module docstring).

    ``search_params`` are the free-text searches, bounded by words and characters.
    """

    search_params: tuple[str, ...] = ("q",)

    def __init__(self, data=None, *args, **kwargs):
        self.ignored: list[Ignored] = []
        self.bounded_data = QueryDict()
        if data is not None:
            self.bounded_data, self.ignored = bound_query(data, self.search_params)
            data = self.bounded_data
        super().__init__(data, *args, **kwargs)

    def get_form_class(self):
        form_class = super().get_form_class()
        # Its fields were built for this FilterSet alone (from its own copies of the
        # filters): the form need not deep-copy them again, widgets and choices included
        # (~1.5 ms of every list page).
        form_class.base_fields = _OwnFields(form_class.base_fields)
        return form_class

    def notices(self):
        """What the query string held and was not read, one sentence each."""
        return notices_of(self.ignored, self.form.fields)


def notices_of(ignored, fields):
    """One sentence per ``Ignored`` item, naming the field by its label in ``fields``."""
    return [
        describe(item, fields[item.param].label if item.param in fields else item.param)
        for item in ignored
    ]
