"""Lists shown several to a page, each cut at LIMIT items with a link to see it whole.

A page such as "overdue" or "deadlines" shows several lists; at national scale one of them can
hold thousands of items. Each is read up to LIMIT + 1 rows (the one more tells that there are
more, without counting them); the link `?all=<key>` shows that list alone, paginated. Nothing is
cut silently: the template says how many are shown and links to the rest.
"""

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.utils.functional import cached_property

LIMIT = 50
T = TypeVar("T")


@dataclass
class Bounded(Generic[T]):
    key: str  # the value of ?all= that shows this list whole
    items: list[T]
    more: bool = False  # more than LIMIT: the page links to the whole list
    page: "Page[T] | None" = None  # the page of the whole list, when it is shown alone

    @property
    def limit(self) -> int:
        return LIMIT

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def showing_all(request: HttpRequest) -> str:
    """The key of the list shown whole, or ""."""
    return str(request.GET.get("all", ""))[:64]


def bounded(request: HttpRequest, key: str, queryset: Any) -> Bounded[Any] | None:
    """The list `key`: cut at LIMIT, or whole and paginated when asked for (`?all=key`); None,
    and no query, when another list of the page is shown alone."""
    shown = showing_all(request)
    if shown and shown != key:
        return None
    if shown == key:
        page = Paginator(queryset, LIMIT).get_page(request.GET.get("page"))
        return Bounded(key, list(page.object_list), page=page)
    items = list(queryset[: LIMIT + 1])
    return Bounded(key, items[:LIMIT], more=len(items) > LIMIT)


COUNT_CAP = 10_000


class BoundedCountPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator that counts at most COUNT_CAP items (+1, to know there are more): counting a
    whole table of millions of rows for "page 1 of N" costs more than the page itself. Past
    the cap, the pages stop at COUNT_CAP items and `capped` says so: filters reach the rest."""

    cap = COUNT_CAP

    @cached_property
    def count(self) -> int:
        head: Any = self.object_list[: self.cap + 1]  # a sliced QuerySet: COUNT over a LIMIT
        return min(int(head.count()), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self) -> int:
        pages: int = super().num_pages
        return min(pages, max(1, -(-self.cap // self.per_page)))
