"""Platform administration.

Operators manage organisations and accounts here. Tenant data is shown only
for organisations the operator is an active member of: an operator who is not
a member sees none of an organisation's people, cases or registers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import Area, Department, Membership, Organisation, User


def operator_org_ids(request: HttpRequest) -> list[int]:
    return list(
        Membership.all_orgs.filter(user=request.user.pk, is_active=True).values_list("organisation_id", flat=True)
    )


class TenantDataAdmin(admin.ModelAdmin[Any]):
    """Base for every tenant model in the admin: only the operator's own organisations."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs: QuerySet[Any] = self.model.all_orgs.filter(organisation_id__in=operator_org_ids(request))
        return qs

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):  # type: ignore[misc]  # django-simple-history ships no types
    list_display = ["name", "slug", "is_active", "require_two_factor"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name",)}),
        ("Platform access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Area)
class AreaAdmin(TenantDataAdmin):
    list_display = ["name", "organisation", "is_active"]


@admin.register(Department)
class DepartmentAdmin(TenantDataAdmin):
    list_display = ["name", "organisation", "is_active"]


@admin.register(Membership)
class MembershipAdmin(TenantDataAdmin):
    list_display = ["user", "organisation", "job_title", "is_active"]
    readonly_fields = ["organisation", "user"]
