"""A paginator that stops counting at ``LIST_COUNT_LIMIT`` (default 10,000) rows.

Counting every match of a list costs as much as reading them: at a million products a
count of one regency's products read 200,000 index entries for a page of 50. Above the
limit the page says "more than 10,000" instead of the exact number, and its count is one
``SELECT COUNT(*) FROM (… LIMIT n)`` that stops after ``n`` rows ("LIMIT and OFFSET" in
PostgreSQL's manual, https://www.postgresql.org/docs/current/queries-limit.html).

Pages further on still work: asking for page ``p`` counts at least ``p × per_page + 1``
rows, so the page knows whether one more follows (its "next" link) and how many pages it
has seen so far. ``count_is_exact`` tells the template which of the two to say.
"""

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator

MAX_COUNT = 10**12


class CountLimitPaginator(Paginator):
    def __init__(self, object_list, per_page, count_limit=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_limit = settings.LIST_COUNT_LIMIT if count_limit is None else count_limit
        self.count_upto = self.count_limit
        self.count_is_exact = True

    @cached_property
    def count(self):
        """The rows, counted up to ``count_upto + 1``: more than ``count_upto`` when that
        many are found (``count_is_exact`` is then False)."""
        found = self.object_list.order_by()[: self.count_upto + 1].count()
        self.count_is_exact = found <= self.count_upto
        return found

    def _reach(self, number):
        """Count far enough to tell whether page ``number`` has a next one."""
        if "count" in self.__dict__:
            return
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return
        # Bounded: a LIMIT beyond 64 bits fails ("page=999999999999999999999"); 10**12
        # rows is "count them all" for any catalogue.
        self.count_upto = max(
            self.count_limit, min(wanted * self.per_page + self.orphans, MAX_COUNT)
        )

    def get_page(self, number):
        self._reach(number)
        return super().get_page(number)

    def page(self, number):
        self._reach(number)
        return super().page(number)
