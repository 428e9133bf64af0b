"""Tenant scoping that fails closed.

Every model that holds an organisation's data uses ``OrgManager`` as its
default manager. A query through it must say whose data it wants:

    Case.objects.for_org(request.org)          # the way in
    Case.objects.filter(status="open")          # raises UnscopedQueryError when run

Reverse relations reached from an object (``case.actions.all()``) are scoped
by that object, which itself came through ``for_org``. The way round the scope
is ``Model.all_orgs``, a separately named manager for jobs that work across
organisations on purpose, the admin and data migrations; ``tools/check_scoping.py``
fails the build if a view uses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django.db import models

if TYPE_CHECKING:
    from safeguard.tenancy.models import Organisation


class UnscopedQueryError(RuntimeError):
    """A tenant model was queried without naming an organisation."""


_M = TypeVar("_M", bound=models.Model)


class OrgQuerySet(models.QuerySet[_M, _M]):
    _org_scoped: bool = False

    def for_org(self, org: Organisation | int) -> Self:
        org_id = org if isinstance(org, int) else org.pk
        if org_id is None:
            raise UnscopedQueryError("for_org() needs a saved organisation")
        clone = self.filter(organisation_id=org_id)
        clone._org_scoped = True
        return clone

    def dangerously_unscoped(self) -> Self:
        """Cross-organisation access; for jobs, the admin and migrations only."""
        clone: Self = self._chain()  # type: ignore[attr-defined]  # Django's private API, not in the stubs
        clone._org_scoped = True
        return clone

    def _clone(self) -> Self:
        clone: Self = super()._clone()  # type: ignore[misc]  # as above
        clone._org_scoped = self._org_scoped
        return clone

    def _filters_on_organisation(self) -> bool:
        """True when the WHERE clause pins ``organisation`` at its top level.

        Django's own unique and constraint validation queries the default
        manager with the organisation among the lookups; those are scoped too.
        """
        where = self.query.where
        if where.negated or where.connector != "AND":
            return False
        for child in where.children:
            target = getattr(getattr(child, "lhs", None), "target", None)
            if target is not None and target.name == "organisation" and getattr(child, "lookup_name", None) in {"exact", "in"}:
                return True
        return False

    def _check_scope(self) -> None:
        if not self._org_scoped and not self._filters_on_organisation():
            raise UnscopedQueryError(
                f"{self.model.__name__} queried without an organisation: use .for_org(org)"
            )

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._check_scope()
        super()._fetch_all()

    def count(self) -> int:
        self._check_scope()
        return super().count()

    def exists(self) -> bool:
        self._check_scope()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_scope()
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size: int | None = None) -> Any:
        self._check_scope()
        return super().iterator(chunk_size=chunk_size)

    def update(self, **kwargs: Any) -> int:
        self._check_scope()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._check_scope()
        return super().delete()

    def in_bulk(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        self._check_scope()
        return super().in_bulk(*args, **kwargs)

    def explain(self, *args: Any, **kwargs: Any) -> str:
        self._check_scope()
        return super().explain(*args, **kwargs)


_ScopedManager = models.Manager.from_queryset(OrgQuerySet)


class OrgManager(_ScopedManager[_M]):
    """Default manager of tenant models: refuses to run without ``for_org``."""

    def get_queryset(self) -> OrgQuerySet[_M]:
        qs = cast("OrgQuerySet[_M]", super().get_queryset())
        # A related manager (``case.actions``) bound to a tenant object, itself
        # fetched through the scope, holds that tenant's rows only. One bound to an
        # object of no organisation (``user.notifications``) would cross them: it
        # stays unscoped and must say ``.for_org(org)``.
        if getattr(getattr(self, "instance", None), "organisation_id", None) is not None:
            qs._org_scoped = True
        return qs


class AllOrgsManager(_ScopedManager[_M]):
    """The named exit from scoping: ``Model.all_orgs``. Never in a view."""

    def get_queryset(self) -> OrgQuerySet[_M]:
        qs = cast("OrgQuerySet[_M]", super().get_queryset())
        qs._org_scoped = True
        return qs


class TenantModel(models.Model):
    """Base of every model holding one organisation's data."""

    organisation = models.ForeignKey("tenancy.Organisation", on_delete=models.PROTECT, related_name="+")

    objects = OrgManager()
    all_orgs = AllOrgsManager()

    class Meta:
        abstract = True
        base_manager_name = "all_orgs"
        default_manager_name = "objects"
