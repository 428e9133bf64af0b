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
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect

if TYPE_CHECKING:
    from .models import Membership, Organisation, User

    class TenantRequest(HttpRequest):
        """Any request after ``TenantMiddleware``: what it sets, before anyone is let in."""

        org: Organisation | None
        membership: Membership | None
        memberships: list[Membership]
        unread_count: int
        denied_roles: tuple[str, ...]

    class SignedInRequest(TenantRequest):
        """A request behind ``login_required``: a person, perhaps with no organisation yet."""

        user: User

    class OrgRequest(SignedInRequest):
        """A request inside an organisation: what ``member_required``/``role_required`` guarantee.

        Annotate a view's ``request`` with it (class-based views get ``self.request: OrgRequest`` from
        ``OrgMemberRequiredMixin``); then ``request.org`` and ``request.membership`` need no ignore.
        """

        org: Organisation
        membership: Membership
else:
    TenantRequest = SignedInRequest = OrgRequest = HttpRequest

F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def _entry_response(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if getattr(request, "org", None) is None:
        return redirect("no-organisation")
    return None


def member_required(view: F) -> F:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return _entry_response(request) or view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


def deny(request: TenantRequest, roles: tuple[str, ...] = ()) -> PermissionDenied:
    """The 403 to raise, remembering which roles would have been let in (the 403 page names them)."""
    request.denied_roles = tuple(roles)
    return PermissionDenied()


def role_required(*roles: str) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(request: OrgRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            early = _entry_response(request)
            if early is not None:
                return early
            if not request.membership.has_role(*roles):
                raise deny(request, roles)
            return view(request, *args, **kwargs)

        # The rule, readable by ``may_open`` so links are shown exactly to the people the URL lets in.
        wrapper.required_roles = tuple(roles)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator


class OrgMemberRequiredMixin(AccessMixin):
    request: OrgRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        early = _entry_response(request)
        if early is not None:
            return early
        self.check_access()
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]  # a mixin: View is next
        return response

    def check_access(self) -> None:
        """Raise PermissionDenied to refuse; runs after the member check."""


class RoleRequiredMixin(OrgMemberRequiredMixin):
    required_roles: tuple[str, ...] = ()

    def check_access(self) -> None:
        if not self.required_roles:
            raise ImproperlyConfigured(f"{type(self).__name__} needs required_roles")
        if not self.request.membership.has_role(*self.required_roles):
            raise deny(self.request, self.required_roles)


def required_roles_of(url: str) -> tuple[str, ...] | None:
    """The roles the view behind ``url`` requires (None: no role rule, any member may open it)."""
    from django.urls import Resolver404, resolve

    try:
        func = resolve(url.split("?", 1)[0]).func
    except Resolver404:
        return None
    roles = getattr(func, "required_roles", None)
    if roles is None:
        roles = getattr(getattr(func, "view_class", None), "required_roles", None) or None
    return tuple(roles) if roles is not None else None


def may_open(request: HttpRequest, url_name: str, *args: Any, **kwargs: Any) -> bool:
    """Whether the member passes the role rule guarding ``url_name`` (the same rule the view applies)."""
    from django.urls import reverse

    membership = getattr(request, "membership", None)
    if membership is None:
        return False
    roles = required_roles_of(reverse(url_name, args=args or None, kwargs=kwargs or None))
    return roles is None or membership.has_role(*roles)


class OrgScopedMixin(OrgMemberRequiredMixin):
    """Owns the queryset: organisation scope first, then ``restrict_queryset``."""

    model: Any = None

    def get_queryset(self) -> QuerySet[Any]:
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} has no model to scope")
        return self.restrict_queryset(self.model.objects.for_org(self.request.org))

    def restrict_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset
