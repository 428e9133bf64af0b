"""Signing in and out, two-factor authentication, re-authentication and one's account."""

from __future__ import annotations

import base64
import io
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import two_factor as two_factor_rules
from ..access import SignedInRequest
from ..forms import EmailLoginForm, TokenForm, gds_helper

REAUTH_SESSION_KEY = "safeguard_reauth_at"
REAUTH_WINDOW_SECONDS = 15 * 60


class SignInView(LoginView):
    form_class = EmailLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        from safeguard.sso.signin import SSO_SESSION_KEY

        self.request.session.pop(SSO_SESSION_KEY, None)  # a password session: see safeguard/sso/signin.py
        return super().form_valid(form)


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: SignedInRequest) -> HttpResponse:
    """Enter the code after the password; or set up an app if the organisation requires it."""
    if not user_has_device(request.user, confirmed=True):
        return redirect("two-factor-setup")
    form = TokenForm(request.POST or None, submit="Continue")
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session[REAUTH_SESSION_KEY] = time.time()
            return redirect(_safe_next(request))
        form.add_error("token", "The code is not right. Check the app and try the newest code")
    return render(request, "registration/two_factor.html", {"form": form, "next": _safe_next(request)})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():  # type: ignore[attr-defined]  # set by django-otp
        return redirect("two-factor")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None, submit="Turn on two-factor authentication")
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            two_factor_rules.do_confirm_device(device, acting_user=request.user)
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is on. You will need a code each time you sign in.")
            return redirect(_safe_next(request, "/account/"))
        form.add_error("token", "The code is not right. Check the app and try the newest code")
    secret = base64.b32encode(device.bin_key).decode()
    context: dict[str, Any] = {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "next": _safe_next(request, "/account/"),
    }
    return render(request, "registration/two_factor_setup.html", context)


def recently_reauthenticated(request: HttpRequest, seconds: int = REAUTH_WINDOW_SECONDS) -> bool:
    at = request.session.get(REAUTH_SESSION_KEY)
    return at is not None and time.time() - float(at) < seconds


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: SignedInRequest) -> HttpResponse:
    """Ask again for the password (and the code, for people with an app) before a sensitive page."""
    from django import forms

    has_device = user_has_device(request.user, confirmed=True)

    class ReauthForm(forms.Form):
        password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
        if has_device:
            token = forms.CharField(label="Code from your authenticator app", max_length=8,
                                    widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.helper = gds_helper(self, "Confirm it is you")

    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=request.user.email, password=form.cleaned_data["password"])
        ok = user is not None and user.pk == request.user.pk
        if ok and has_device:
            ok = match_token(request.user, form.cleaned_data["token"].replace(" ", "")) is not None
            if not ok:
                form.add_error("token", "The code is not right. Try the newest code")
        elif not ok:
            form.add_error("password", "The password is not right")
        if ok:
            request.session[REAUTH_SESSION_KEY] = time.time()
            return redirect(_safe_next(request))
    return render(request, "registration/reauthenticate.html", {"form": form, "next": _safe_next(request)})


@login_required
def account(request: SignedInRequest) -> HttpResponse:
    return render(request, "registration/account.html", {
        "has_device": user_has_device(request.user, confirmed=True),
        "two_factor_required": two_factor_rules.required_by_any_organisation(request.user),
        "memberships": getattr(request, "memberships", []),
    })


@login_required
@require_http_methods(["POST"])
def two_factor_disable(request: SignedInRequest) -> HttpResponse:
    """Only a session verified with the device may remove it, and only where no organisation requires it."""
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():  # type: ignore[attr-defined]  # set by django-otp
        messages.error(request, "Enter the code from your authenticator app before changing two-factor authentication.")
        return redirect(reverse("two-factor") + "?next=" + reverse("account"))
    if two_factor_rules.required_by_any_organisation(user):
        messages.error(request, "One of your organisations requires two-factor authentication, so it cannot be turned off.")
        return redirect("account")
    two_factor_rules.do_remove_devices(acting_user=user)
    messages.success(request, "Two-factor authentication is off.")
    return redirect("account")
