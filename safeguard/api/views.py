"""The organisation administrator's pages: API tokens and webhook subscriptions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safeguard.tenancy.access import OrgRequest, role_required
from safeguard.tenancy.roles import Role

from . import tokens, webhooks
from .forms import TokenForm, WebhookForm
from .models import ApiToken, WebhookSubscription

ADMIN = (Role.ORG_ADMIN,)


@role_required(*ADMIN)
@require_http_methods(["GET", "POST"])
def token_list(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = TokenForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = tokens.do_create_token(org, name=d["name"], scopes=d["scopes"], expires_at=form.expires_at(),
                                      role=d["role"], account_name=d["account_name"].strip(),
                                      acting_user=request.user)
        return render(request, "api/token_created.html", {"token": made.token, "secret": made.secret})
    listed = ApiToken.objects.for_org(org).select_related("service_account__user", "created_by").prefetch_related(
        "service_account__role_assignments__areas", "service_account__role_assignments__departments")
    return render(request, "api/tokens.html", {"form": form, "tokens": listed},
                  status=400 if form.errors else 200)


@role_required(*ADMIN)
@require_POST
def token_revoke(request: OrgRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_org(request.org), pk=pk)
    tokens.do_revoke_token(token, acting_user=request.user)
    messages.success(request, f"The token {token.name} was revoked: it no longer works.")
    return redirect("api:tokens")


@role_required(*ADMIN)
@require_http_methods(["GET", "POST"])
def webhook_list(request: OrgRequest) -> HttpResponse:
    org = request.org
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sub = webhooks.do_subscribe(org, url=form.cleaned_data["url"], events=form.cleaned_data["events"],
                                    acting_user=request.user)
        return render(request, "api/webhook_created.html", {"subscription": sub})
    subs = WebhookSubscription.objects.for_org(org).filter(removed_at__isnull=True)
    return render(request, "api/webhooks.html", {"form": form, "subscriptions": subs},
                  status=400 if form.errors else 200)


@role_required(*ADMIN)
@require_POST
def webhook_remove(request: OrgRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(WebhookSubscription.objects.for_org(request.org).filter(removed_at__isnull=True),
                            pk=pk)
    webhooks.do_unsubscribe(sub, acting_user=request.user)
    messages.success(request, f"Events are no longer sent to {sub.url}.")
    return redirect("api:webhooks")


def docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation: a plain page made from the OpenAPI schema (no script, no CDN)."""
    from .endpoints import api

    schema = api.get_openapi_schema()
    operations = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""),
         "description": op.get("description", ""), "scopes": op.get("x-scopes", []),
         "responses": sorted(op.get("responses", {}).items())}
        for path, item in schema["paths"].items() for method, op in item.items()
    ]
    return render(request, "api/docs.html", {"operations": operations, "info": schema["info"]})
