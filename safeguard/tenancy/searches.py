"""Searches of personal data keep the search terms out of URLs (issue 8 item 12).

A name typed into a search box must not end up in browser history, proxy and access
logs or a Referer header. So search forms POST; the view keeps what was searched for in
the session under a short random key and redirects (303) to ``?s=<key>``: the address
bar, the pagination links and the export links carry only the key. A key from another
session, or an old one, finds nothing and the page says the search has ended. An old
link or bookmark with ``?q=…`` is moved to the same clean form.

Use in a view::

    search = kept_search(request)
    if search.redirect:
        return search.redirect
    form = FindForm(search.params or None, org=org)
    ... "query_string": search.query_string, "search_expired": search.expired
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

SESSION_KEY = "safeguard_searches"
MAX_KEPT = 20
PERSONAL = ("q",)
NOT_KEPT = ("csrfmiddlewaretoken", "page", "s")


class SeeOther(HttpResponseRedirect):
    status_code = 303


@dataclass
class Search:
    """What a list page filters by, and how its links refer to it."""

    params: QueryDict
    key: str = ""
    redirect: HttpResponse | None = None
    expired: bool = False

    @property
    def query_string(self) -> str:
        """For links that keep the search (pagination, exports): the key, or the non-personal filters."""
        if self.key:
            return f"s={self.key}"
        kept = self.params.copy()
        for name in (*NOT_KEPT, *PERSONAL):
            kept.pop(name, None)
        return kept.urlencode()


def _kept(request: HttpRequest) -> dict[str, dict[str, object]]:
    return dict(request.session.get(SESSION_KEY) or {})


def _stash(request: HttpRequest, data: QueryDict, path: str) -> str:
    """Keep the search under a key (the same key for the same search on the same page)."""
    for name in NOT_KEPT:
        data.pop(name, None)
    query = data.urlencode()
    kept = _kept(request)
    key = next((k for k, v in kept.items() if v.get("path") == path and v.get("query") == query), "")
    if not key:
        key = secrets.token_urlsafe(6)
        kept[key] = {"path": path, "query": query, "at": time.time()}
        if len(kept) > MAX_KEPT:
            for old in sorted(kept, key=lambda k: float(kept[k].get("at", 0)))[: len(kept) - MAX_KEPT]:  # type: ignore[arg-type]
                del kept[old]
        request.session[SESSION_KEY] = kept
    return key


def _has_terms(data: QueryDict) -> bool:
    return any(v.strip() for name in data if name not in NOT_KEPT for v in data.getlist(name))


def kept_search(request: HttpRequest, *, path: str | None = None, personal: tuple[str, ...] = PERSONAL) -> Search:
    """The search of this list page. ``path`` names the page the search belongs to when another
    view (an export of the list) reads it."""
    path = path or request.path
    if request.method == "POST":
        data = request.POST.copy()
        if not _has_terms(data):
            return Search(QueryDict(), redirect=SeeOther(path))
        return Search(QueryDict(), redirect=SeeOther(f"{path}?s={_stash(request, data, path)}"))
    if any(request.GET.get(name, "").strip() for name in personal):
        data = request.GET.copy()
        return Search(QueryDict(), redirect=SeeOther(f"{request.path}?s={_stash(request, data, path)}"))
    key = request.GET.get("s", "")
    if not key:
        return Search(request.GET)
    stored = _kept(request).get(key)
    if not stored or stored.get("path") != path:
        return Search(QueryDict(), expired=True)
    params = QueryDict(str(stored["query"]), mutable=True)
    for name in ("page", "format"):
        if name in request.GET:
            params[name] = request.GET[name]
    return Search(params, key=key)
