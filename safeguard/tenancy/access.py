"""Views' way in: who may enter, and the one queryset each view starts from.

* ``OrgMemberRequiredMixin`` / ``@member_required``: signed in, with a current
  organisation (else the "no organisation" page).
* ``RoleRequiredMixin`` / ``@role_required(...)``: one of the roles, else 403.
* ``OrgScopedMixin``: the view's queryset is ``model.objects.for_org(org)``
  narrowed by ``restrict_queryset`` (the object-permission filter); objects are
  fetched from it, so another organisation's id is a 404 like a missing one.
  A scoped view without a model is a configuration error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

if TYPE_CHECKING:
    from .models import Membership, Organisation, User

    class OrgRequest(HttpRequest):
        """A request inside an organisation (what the middleware guarantees here)."""

        user: User
        org: Organisation
        membership: Membership
        memberships: list[Membership]
else:
    OrgRequest = HttpRequest

F = TypeVar("F", bound=Callable[..., HttpResponse])


def _entry_response(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if getattr(request, "org", None) is None:
        return redirect("no-organisation")
    return None


def member_required(view: F) -> F:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _entry_response(request) or view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def role_required(*roles: str) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            early = _entry_response(request)
            if early is not None:
                return early
            if not request.membership.has_role(*roles):  # type: ignore[attr-defined]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


class OrgMemberRequiredMixin(AccessMixin):
    request: OrgRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        early = _entry_response(request)
        if early is not None:
            return early
        self.check_access()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def check_access(self) -> None:
        """Raise PermissionDenied to refuse; runs after the member check."""


class RoleRequiredMixin(OrgMemberRequiredMixin):
    required_roles: tuple[str, ...] = ()

    def check_access(self) -> None:
        if not self.required_roles:
            raise ImproperlyConfigured(f"{type(self).__name__} needs required_roles")
        if not self.request.membership.has_role(*self.required_roles):
            raise PermissionDenied


class OrgScopedMixin(OrgMemberRequiredMixin):
    """Owns the queryset: organisation scope first, then ``restrict_queryset``."""

    model: Any = None

    def get_queryset(self) -> QuerySet[Any]:
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no model to scope")
        return self.restrict_queryset(self.model.objects.for_org(self.request.org))

    def restrict_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset
