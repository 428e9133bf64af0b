"""Organisation administration: people, roles, invitations, areas, departments, settings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from .. import actions, rls, two_factor
from ..access import OrgRequest, OrgScopedMixin, RoleRequiredMixin, role_required
from ..forms import AcceptInvitationForm, InviteForm, MemberRolesForm, NamedItemForm, OrganisationSettingsForm
from ..middleware import SESSION_ORG_KEY
from ..models import Area, Department, Invitation, Membership, RoleAssignment
from ..roles import SCOPABLE_ROLES, Role
from ..searches import kept_search
from .accounts import recently_reauthenticated

ADMIN = (Role.ORG_ADMIN,)


def _specs_from(form: Any) -> list[actions.RoleSpec]:
    areas = [a.pk for a in form.cleaned_data.get("areas") or []]
    depts = [d.pk for d in form.cleaned_data.get("departments") or []]
    return [
        actions.RoleSpec(r, areas if r in SCOPABLE_ROLES else [], depts if r in SCOPABLE_ROLES else [])
        for r in form.cleaned_data["roles"]
    ]


class PeopleListView(RoleRequiredMixin, OrgScopedMixin, ListView[Membership]):
    request: OrgRequest
    model = Membership
    required_roles = ADMIN
    template_name = "tenancy/people_list.html"
    paginate_by = 50

    def restrict_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        qs = queryset.select_related("user").prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.for_org(self.request.org)
                     .prefetch_related("areas", "departments"))
        )
        term = self.search.params.get("q", "").strip()[:200]
        if term:
            qs = qs.filter(Q(user__full_name__icontains=term) | Q(user__email__icontains=term))
        if self.search.params.get("status") == "inactive":
            return qs.filter(is_active=False)
        return qs.filter(is_active=True)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.search = kept_search(request)  # names searched for stay out of the URL
        if self.search.redirect:
            return self.search.redirect
        return super().get(request, *args, **kwargs)

    post = get

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["q"] = self.search.params.get("q", "")
        ctx["status"] = self.search.params.get("status", "active")
        ctx["query_string"] = self.search.query_string
        ctx["search_expired"] = self.search.expired
        ctx["pending_invitations"] = Invitation.objects.for_org(self.request.org).filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        )[:50]
        return ctx


@role_required(*ADMIN)
@require_http_methods(["GET", "POST"])
def person_detail(request: OrgRequest, pk: int) -> HttpResponse:
    org = request.org
    membership = get_object_or_404(Membership.objects.for_org(org).select_related("user"), pk=pk)
    grants = membership.grants
    initial = {
        "job_title": membership.job_title,
        "roles": list(grants),
        "areas": sorted({a for g in grants.values() for a in (g.area_ids or ())}),
        "departments": sorted({d for g in grants.values() for d in (g.department_ids or ())}),
    }
    form = MemberRolesForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_set_roles(membership, _specs_from(form), acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if membership.job_title != form.cleaned_data["job_title"]:
                membership.job_title = form.cleaned_data["job_title"]
                membership.save(update_fields=["job_title"])
            messages.success(request, f"Roles saved for {membership.user.full_name}.")
            return redirect("people")
    history = membership.history.select_related("history_user").order_by("-history_date")[:20]
    return render(request, "tenancy/person_detail.html", {
        "membership": membership, "form": form, "history": history,
        "has_device": two_factor.has_confirmed_device(membership.user),
    })


@role_required(*ADMIN)
@require_POST
def person_deactivate(request: OrgRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.for_org(request.org).select_related("user"), pk=pk)
    try:
        actions.do_deactivate_member(membership, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("people-detail", pk=pk)
    messages.success(request, f"{membership.user.full_name} can no longer sign in to this organisation. Their records are kept.")
    return redirect("people")


@role_required(*ADMIN)
@require_POST
def person_reactivate(request: OrgRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.for_org(request.org).select_related("user"), pk=pk)
    actions.do_reactivate_member(membership, acting_user=request.user)
    messages.success(request, f"{membership.user.full_name} is active again.")
    return redirect("people-detail", pk=pk)


@role_required(*ADMIN)
@require_http_methods(["GET", "POST"])
def invite(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = InviteForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = actions.do_invite(
                org, email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"],
                job_title=form.cleaned_data["job_title"], specs=_specs_from(form), acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("people")
    return render(request, "tenancy/invite.html", {"form": form})


@role_required(*ADMIN)
@require_POST
def invitation_revoke(request: OrgRequest, pk: int) -> HttpResponse:
    from django.utils import timezone

    invitation = get_object_or_404(Invitation.objects.for_org(request.org), pk=pk)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("people")


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the token is the secret. Only the invited e-mail can use it."""
    # The token is unguessable and unique across organisations; looking it up
    # is how an invitee's organisation is found, so this crosses tenants on purpose.
    with rls.dangerously_all_orgs():  # scoping: the unguessable token identifies the organisation
        invitation = Invitation.objects.dangerously_unscoped().select_related("organisation").filter(token=token).first()  # scoping: as above
    if invitation is None or not invitation.is_usable:
        return render(request, "tenancy/invitation_unusable.html", status=404)
    from ..models import User

    existing = User.objects.filter(email__iexact=invitation.email).first()
    if existing is not None:
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            messages.info(request, "You already have an account. Sign in to accept the invitation.")
            return redirect_to_login(request.get_full_path())
        if request.method == "POST":
            try:
                with rls.org_scope(invitation.organisation_id):
                    actions.do_accept_invitation(invitation, user=request.user)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                return redirect("home")
            request.session[SESSION_ORG_KEY] = invitation.organisation_id
            messages.success(request, f"You have joined {invitation.organisation.name}.")
            return _after_joining(request, invitation)
        return render(request, "tenancy/accept_existing.html", {"invitation": invitation})
    form = AcceptInvitationForm(request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            with rls.org_scope(invitation.organisation_id):
                membership = actions.do_accept_invitation(
                    invitation, full_name=form.cleaned_data["full_name"], password=form.cleaned_data["password1"]
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_ORG_KEY] = invitation.organisation_id
            messages.success(request, f"Welcome to Safeguard. You have joined {invitation.organisation.name}.")
            return _after_joining(request, invitation)
    return render(request, "tenancy/accept_new.html", {"invitation": invitation, "form": form})


def _after_joining(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """An organisation requiring two-factor: the person sets up their app now, before anything else.
    An organisation with password sign-in off: the person goes on through its provider."""
    from urllib.parse import urlencode

    from safeguard.sso.signin import password_allowed

    with rls.org_scope(invitation.organisation_id):
        org = invitation.organisation
        passwords_ok = password_allowed(org)
    if not passwords_ok:
        messages.info(request, f"{org.name} signs people in with its own account: continue there.")
        return redirect(reverse("sso-start", args=[org.slug]) + "?" + urlencode({"email": invitation.email}))
    if invitation.organisation.require_two_factor and not two_factor.has_confirmed_device(request.user):  # type: ignore[arg-type]
        return redirect(reverse("two-factor-setup") + "?next=" + reverse("home"))
    return redirect("home")


@role_required(*ADMIN)
@require_POST
def person_reset_two_factor(request: OrgRequest, pk: int) -> HttpResponse:
    """A person lost their phone: remove their device so they set up a new one at next sign-in."""
    membership = get_object_or_404(Membership.objects.for_org(request.org).select_related("user"), pk=pk)
    detail = reverse("people-detail", args=[pk])
    if membership.user_id == request.user.pk:
        messages.error(request, "Change your own two-factor authentication from your account page.")
        return redirect(detail)
    if not recently_reauthenticated(request):
        messages.info(request, "Confirm it is you, then select 'Reset two-factor authentication' again.")
        return redirect(reverse("reauthenticate") + "?next=" + detail)
    two_factor.do_reset_two_factor(membership, acting_user=request.user)
    messages.success(request, f"Two-factor authentication was reset for {membership.user.full_name}. "
                              "They will set up their app again when they next sign in, and have been told.")
    return redirect(detail)


@role_required(*ADMIN)
@require_http_methods(["GET", "POST"])
def organisation_settings(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = OrganisationSettingsForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        actions.do_update_settings(org, {k: form.cleaned_data[k] for k in form.changed_data}, acting_user=request.user)
        messages.success(request, "Settings saved.")
        return redirect("organisation-settings")
    org.refresh_from_db()
    areas = Area.objects.for_org(org)
    departments = Department.objects.for_org(org)
    return render(request, "tenancy/settings.html", {
        "form": form, "areas": areas, "departments": departments,
        "area_form": NamedItemForm(label="New local authority area", submit="Add area", prefix="area",
                                   action=reverse("area-add")),
        "department_form": NamedItemForm(label="New department", submit="Add department", prefix="department",
                                         action=reverse("department-add")),
    })


@role_required(*ADMIN)
@require_POST
def add_area(request: OrgRequest) -> HttpResponse:
    return _add_named(request, kind="area")


@role_required(*ADMIN)
@require_POST
def add_department(request: OrgRequest) -> HttpResponse:
    return _add_named(request, kind="department")


def _add_named(request: OrgRequest, *, kind: str) -> HttpResponse:
    org = request.org
    model = Area if kind == "area" else Department
    form = NamedItemForm(request.POST, label="Name", submit="Add", prefix=kind)
    if form.is_valid():
        name = form.cleaned_data["name"].strip()
        if model.objects.for_org(org).filter(name__iexact=name).exists():
            messages.error(request, f"There is already a {kind} called {name}.")
        else:
            (actions.do_add_area if kind == "area" else actions.do_add_department)(org, name=name)
            messages.success(request, f"Added {name}.")
    else:
        messages.error(request, f"Enter a name for the {kind}.")
    return redirect("organisation-settings")
