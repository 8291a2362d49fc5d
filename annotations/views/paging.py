"""Pages of a list without counting the whole list.

A page reads one row more than it shows to know whether a next page exists; counting every
row of a million-claim archive on each view would cost more than the page itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

# Deep offsets still read the rows before them; search and filters are the way there.
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page:
    """The rows of one page and the query strings of its neighbours ("" when none)."""

    items: list[Any]
    number: int
    next_query: str
    previous_query: str

    @property
    def has_next(self) -> bool:
        return bool(self.next_query)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_query)


def _query(request: HttpRequest, param: str, number: int) -> str:
    params = request.GET.copy()
    if number == 1:
        params.pop(param, None)
    else:
        params[param] = str(number)
    return "?" + params.urlencode()


def page_number(request: HttpRequest, param: str = "page") -> int:
    """The page asked for; anything that is not a page number in range is page 1."""
    raw = request.GET.get(param, "1")
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), MAX_PAGE)


def page_of(queryset: QuerySet, request: HttpRequest, *, size: int, param: str = "page") -> Page:
    """One page of an ordered queryset, as asked for by ``?<param>=N``."""
    number = page_number(request, param)
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(
        items=rows[:size],
        number=number,
        next_query=_query(request, param, number + 1) if len(rows) > size else "",
        previous_query=_query(request, param, number - 1) if number > 1 else "",
    )
