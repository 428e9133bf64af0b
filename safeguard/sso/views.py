"""Single sign-on: the administrator's settings page, and signing in through the organisation's provider."""

from __future__ import annotations

import logging
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.tenancy import rls
from safeguard.tenancy.access import OrgRequest, role_required
from safeguard.tenancy.concurrency import StaleEditError
from safeguard.tenancy.middleware import SESSION_ORG_KEY
from safeguard.tenancy.models import Membership, Organisation
from safeguard.tenancy.roles import Role
from safeguard.tenancy.views.accounts import _safe_next

from . import actions, oidc
from .forms import IdentityProviderForm
from .models import IdentityProvider
from .signin import FLOW_SESSION_KEY, SSO_SESSION_KEY

log = logging.getLogger("safeguard.sso")
FLOW_SECONDS = 10 * 60
MAX_FLOWS = 5


def redirect_uri() -> str:
    return settings.SITE_URL + reverse("sso-callback")


# --- The administrator's page ------------------------------------------------------------------


def _settings_page(
    request: OrgRequest,
    form: IdentityProviderForm,
    provider: IdentityProvider | None,
    results: list[tuple[bool, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "sso/settings.html",
        {
            "form": form,
            "provider": provider,
            "results": results,
            "redirect_uri": redirect_uri(),
            "start_url": settings.SITE_URL + reverse("sso-start", args=[request.org.slug]),
        },
        status=status,
    )


@role_required(Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def sso_settings(request: OrgRequest) -> HttpResponse:
    org = request.org
    provider = IdentityProvider.objects.for_org(org).first()
    has_secret = bool(provider and provider.client_secret)
    form = IdentityProviderForm(request.POST or None, instance=provider, has_secret=has_secret)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in actions.EDITABLE}
        try:
            actions.do_save_provider(
                org,
                data,
                client_secret=form.cleaned_data["client_secret"],
                expected_version=form.cleaned_data.get("version"),
                acting_user=request.user,
            )
        except StaleEditError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "Single sign-on settings saved. Use Test connection to check them.")
            return redirect("sso-settings")
    return _settings_page(request, form, provider)


@role_required(Role.ORG_ADMIN)
@require_POST
def sso_test(request: OrgRequest) -> HttpResponse:
    org = request.org
    provider = IdentityProvider.objects.for_org(org).first()
    if provider is None:
        messages.error(request, "Save the provider's settings first, then test them.")
        return redirect("sso-settings")
    results = oidc.test_connection(provider)
    form = IdentityProviderForm(instance=provider, has_secret=bool(provider.client_secret))
    return _settings_page(request, form, provider, results)


# --- Signing in --------------------------------------------------------------------------------


def _refuse(
    request: HttpRequest,
    message: str,
    *,
    org: Organisation | None = None,
    status: int = 403,
    reason: str = "",
    email: str | None = None,
    count_failure: bool = False,
) -> HttpResponse:
    """A plain refusal page; refusals of a person are audited and count towards the lock-out."""
    if org is not None and reason:
        with rls.org_scope(org):
            actions.record_refusal(org, reason=reason, email=email)
    if count_failure and email:
        user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    return render(request, "sso/refused.html", {"message": message, "org": org}, status=status)


def _provider_for_slug(slug: str) -> tuple[Organisation, IdentityProvider]:
    org = get_object_or_404(Organisation.objects.filter(is_active=True), slug=slug)
    with rls.org_scope(org):
        provider = IdentityProvider.objects.for_org(org).filter(is_enabled=True).first()
    if provider is None:
        raise Http404("This organisation has not switched single sign-on on")
    return org, provider


@require_http_methods(["GET"])
def sso_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Send the person to their organisation's provider (authorisation-code flow with PKCE)."""
    org, provider = _provider_for_slug(slug)
    hint = request.GET.get("email", "").strip()[:254]
    try:
        flow = oidc.start(provider, redirect_uri(), login_hint=hint)
    except oidc.OidcError as exc:
        log.warning("sso: could not start for %s: %s", org.slug, exc)
        return _refuse(
            request,
            f"We could not reach {provider.button_label.removeprefix('Sign in with ')} just now. "
            "Try again in a few minutes.",
            org=org,
            status=503,
        )
    flows = {
        k: v
        for k, v in request.session.get(FLOW_SESSION_KEY, {}).items()
        if time.time() - v.get("at", 0) < FLOW_SECONDS
    }
    while len(flows) >= MAX_FLOWS:
        flows.pop(min(flows, key=lambda k: flows[k]["at"]))
    flows[flow.state] = {
        "org": org.pk,
        "nonce": flow.nonce,
        "verifier": flow.code_verifier,
        "next": _safe_next(request, ""),
        "at": time.time(),
    }
    request.session[FLOW_SESSION_KEY] = flows
    return redirect(flow.url)


@require_http_methods(["GET"])
def sso_callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the person back here with a code; every failure is a plain refusal."""
    state = request.GET.get("state", "")
    flows = request.session.get(FLOW_SESSION_KEY, {})
    flow = flows.pop(state, None) if isinstance(flows, dict) and state else None
    request.session[FLOW_SESSION_KEY] = flows
    if not isinstance(flow, dict) or time.time() - flow.get("at", 0) > FLOW_SECONDS:
        return _refuse(
            request,
            "This sign-in was not started here or has expired. Start again from the sign-in page.",
            status=400,
        )
    org = Organisation.objects.filter(pk=flow.get("org") or 0, is_active=True).first()
    if org is None:
        return _refuse(request, "This organisation is no longer on Safeguard.", status=400)
    with rls.org_scope(org):
        provider = IdentityProvider.objects.for_org(org).filter(is_enabled=True).first()
    if provider is None:
        return _refuse(
            request,
            "This organisation has switched single sign-on off. Sign in with your password.",
            status=400,
        )
    if request.GET.get("error") or not request.GET.get("code"):
        return _refuse(
            request,
            "Your organisation's sign-in did not let you in (it said: "
            f"{request.GET.get('error', 'no code')[:100]}). If you should have access, ask your IT team.",
            org=org,
            reason="provider refused",
        )
    try:
        claims = oidc.finish(
            provider,
            redirect_uri(),
            code=request.GET["code"][:2000],
            code_verifier=flow["verifier"],
            nonce=flow["nonce"],
        )
    except oidc.OidcError as exc:
        return _refuse(request, str(exc), org=org, reason="token not accepted", status=400)
    return _sign_in(request, org, provider, claims, next_url=flow.get("next") or "")


def _sign_in(
    request: HttpRequest,
    org: Organisation,
    provider: IdentityProvider,
    claims: dict[str, Any],
    *,
    next_url: str,
) -> HttpResponse:
    email = oidc.verified_email(claims)
    if email is None:
        return _refuse(
            request,
            "Your organisation's sign-in did not confirm your e-mail address, so Safeguard "
            "cannot tell who you are. Ask your IT team.",
            org=org,
            reason="e-mail not verified",
        )
    credentials = {"username": email}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials)
    domain = email.rsplit("@", 1)[1]
    if domain not in provider.domains:
        return _refuse(
            request,
            f"E-mail addresses ending @{domain} cannot sign in to {org.name} this way. "
            "Ask your organisation administrator.",
            org=org,
            reason="domain not allowed",
            email=email,
            count_failure=True,
        )
    with rls.org_scope(org):
        membership = (
            Membership.objects.for_org(org)
            .select_related("user", "organisation")
            .filter(user__email__iexact=email, is_active=True, user__is_active=True)
            .first()
        )
    if membership is None:
        return _refuse(
            request,
            f"You do not have an account at {org.name} yet. Ask your organisation administrator "
            "to invite you; after you accept the invitation you can sign in here.",
            org=org,
            reason="no membership",
            email=email,
            count_failure=True,
        )
    provider_mfa = oidc.provider_says_mfa(provider, claims)
    auth_login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SSO_SESSION_KEY] = {"org": org.pk, "mfa": provider_mfa}
    request.session[SESSION_ORG_KEY] = org.pk
    with rls.org_scope(org):
        actions.do_record_sign_in(provider, membership, claims, provider_mfa=provider_mfa)
    target = next_url or reverse("home")
    return redirect(target)  # the middleware asks for the app's code where the organisation needs it


@require_POST
def sso_find(request: HttpRequest) -> HttpResponse:
    """From the sign-in page: the e-mail's domain names the organisations offering single sign-on."""
    email = request.POST.get("email", "").strip().lower()[:254]
    if "@" not in email:
        messages.error(request, "Enter your work e-mail address to sign in with your organisation's account")
        return redirect("login")
    providers = providers_for_domain(email.rsplit("@", 1)[1])
    if not providers:
        messages.info(
            request,
            "No organisation has set up single sign-on for that e-mail address. Sign in with your password.",
        )
        return redirect("login")
    # A page with the button, not a redirect: the sign-in form's CSP (form-action 'self') would stop a
    # redirect to the provider, and the person sees which organisation's sign-in they are going to.
    return render(
        request,
        "sso/choose.html",
        {"choices": [(p, _start_url(p, email, _safe_next(request, ""))) for p in providers]},
    )


def _start_url(provider: IdentityProvider, email: str, next_url: str) -> str:
    from urllib.parse import urlencode

    query = {"email": email} | ({"next": next_url} if next_url else {})
    return reverse("sso-start", args=[provider.organisation.slug]) + "?" + urlencode(query)


def providers_for_domain(domain: str) -> list[IdentityProvider]:
    """The switched-on providers accepting ``domain``; read across organisations before anyone signs in."""
    with rls.dangerously_all_orgs():  # scoping: names and button labels only, for the sign-in page
        candidates = (
            IdentityProvider.objects.dangerously_unscoped()  # scoping: as above
            .filter(is_enabled=True, organisation__is_active=True, allowed_domains__icontains=domain)
            .select_related("organisation")
        )
        return [p for p in candidates if domain in p.domains]
