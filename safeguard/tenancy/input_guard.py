"""Refuse, with a 400 page, requests carrying characters no field can store.

PostgreSQL cannot store a NUL character, and a lone UTF-16 surrogate cannot be encoded
at all: either one reaching a query (a search term, a posted field, a session cookie)
raised an error and answered 500. Browsers never send them from what a person types,
so the request is refused as a whole, before any view or session lookup sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def has_unstorable(values: Iterable[str]) -> bool:
    return any(UNSTORABLE.search(v) for v in values)


def _texts(data: object) -> Iterable[str]:
    for key, values in data.lists():  # type: ignore[attr-defined]
        yield key
        yield from (v for v in values if isinstance(v, str))


class RejectUnstorableInputMiddleware:
    """A 400 for NUL bytes or lone surrogates in the path, query, form fields, file names or cookies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        texts: list[Iterable[str]] = [[request.path], _texts(request.GET), request.COOKIES.keys(),
                                      request.COOKIES.values()]
        if request.method == "POST":
            texts += [_texts(request.POST), (getattr(f, "name", None) or "" for f in request.FILES.values())]
        if any(has_unstorable(t) for t in texts):
            raise BadRequest("The request contains a character that cannot be stored (a NUL or a lone surrogate).")
        return self.get_response(request)
