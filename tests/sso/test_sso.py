"""Single sign-on through a real OpenID Connect provider run on 127.0.0.1 (tests/sso/provider.py)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc.jwk import RSAKey

from safeguard.sso import jobs
from safeguard.sso.models import ExternalIdentity, IdentityProvider
from safeguard.sso.signin import SSO_SESSION_KEY
from safeguard.tenancy.actions import RoleSpec, do_add_member
from safeguard.tenancy.middleware import SESSION_ORG_KEY
from safeguard.tenancy.models import AuditEvent, Membership
from safeguard.tenancy.roles import Role
from tests.factories import PASSWORD, World, make_user

from .provider import Provider, Tenant

ADDR: dict[str, Any] = {"REMOTE_ADDR": "10.0.0.7"}


def configure(org, tenant: Tenant, **options) -> IdentityProvider:
    provider = IdentityProvider(
        organisation=org,
        is_enabled=True,
        issuer=tenant.issuer,
        client_id=tenant.client_id,
        allowed_domains=options.pop("domains", f"{org.slug}.test"),
        button_label=f"Sign in with {tenant.name}",
        **options,
    )
    provider.set_client_secret(tenant.client_secret)
    provider.save()
    return provider


@pytest.fixture
def tenant(oidc_server: Provider, world: World) -> Tenant:
    tenant = oidc_server.tenant(f"oak-{world.org.pk}")
    configure(world.org, tenant)
    return tenant


def sso_sign_in(client: Client, slug: str, email: str, *, before_callback=None):
    """Start at Safeguard, let the provider sign the person in, come back; the callback's response."""
    start = client.get(reverse("sso-start", args=[slug]), {"email": email}, **ADDR)
    assert start.status_code == 302, start.content
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    assert back.path == reverse("sso-callback")
    query = {k: v[0] for k, v in parse_qs(back.query).items()}
    if before_callback:
        query = before_callback(query) or query
    return client.get(back.path, query, **ADDR)


def test_it_signs_an_invited_person_in_to_their_organisation(world: World, tenant: Tenant) -> None:
    person = world.members[Role.CASE_OFFICER]
    claims = tenant.add_person(person.email.upper())
    client = Client()
    response = sso_sign_in(client, world.org.slug, person.email)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == person and home.wsgi_request.org == world.org  # type: ignore[attr-defined]  # set by TenantMiddleware
    identity = ExternalIdentity.objects.for_org(world.org).get()
    assert identity.membership.user == person and identity.subject == claims["sub"]
    assert AuditEvent.objects.for_org(world.org).filter(action="sso.signed_in", actor=person).exists()


def test_it_offers_the_organisations_button_after_the_email_on_the_sign_in_page(
    world: World, tenant: Tenant
) -> None:
    response = Client().post(reverse("sso-find"), {"email": "Someone@Oakridge.test"})
    page = response.content.decode()
    assert response.status_code == 200 and f"Sign in with {tenant.name}" in page
    assert reverse("sso-start", args=[world.org.slug]) + "?email=someone%40oakridge.test" in page
    other = Client().post(reverse("sso-find"), {"email": "someone@elsewhere.test"}, follow=True)
    assert "No organisation has set up single sign-on" in other.content.decode()


def test_it_refuses_a_person_who_was_never_invited(world: World, tenant: Tenant) -> None:
    tenant.add_person("stranger@oakridge.test")
    make_user("stranger@oakridge.test")  # has an account, but no membership here
    client = Client()
    response = sso_sign_in(client, world.org.slug, "stranger@oakridge.test")
    assert response.status_code == 403
    assert "Ask your organisation administrator to invite you" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.for_org(world.org).get(action="sso.refused")
    assert event.detail["reason"] == "no membership"


def test_it_refuses_an_email_domain_the_organisation_does_not_allow(world: World, tenant: Tenant) -> None:
    outsider = world.outsider
    do_add_member(world.org, outsider, [RoleSpec(Role.FRONTLINE)])  # a member, but @marshgate.test
    tenant.add_person(outsider.email)
    client = Client()
    response = sso_sign_in(client, world.org.slug, outsider.email)
    assert response.status_code == 403
    assert "ending @marshgate.test cannot sign in to Oakridge Housing" in response.content.decode()
    assert (
        AuditEvent.objects.for_org(world.org).get(action="sso.refused").detail["reason"]
        == "domain not allowed"
    )


def test_it_refuses_an_email_the_provider_has_not_verified(world: World, tenant: Tenant) -> None:
    person = world.members[Role.FRONTLINE]
    tenant.add_person(person.email, email_verified=False)
    response = sso_sign_in(Client(), world.org.slug, person.email)
    assert response.status_code == 403 and "did not confirm your e-mail address" in response.content.decode()


def test_it_refuses_a_person_the_provider_has_disabled(world: World, tenant: Tenant) -> None:
    person = world.members[Role.FRONTLINE]
    tenant.add_person(person.email, disabled=True)
    client = Client()
    response = sso_sign_in(client, world.org.slug, person.email)
    assert response.status_code == 403 and "did not let you in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_locks_out_after_repeated_refusals_as_the_password_path_does(
    world: World, tenant: Tenant, settings
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    tenant.add_person("stranger@oakridge.test")
    for _ in range(2):
        sso_sign_in(Client(), world.org.slug, "stranger@oakridge.test")
    response = sso_sign_in(Client(), world.org.slug, "stranger@oakridge.test")
    assert response.status_code == 429


@pytest.mark.parametrize(
    "amr, accept, asked_for_code",
    [
        (["pwd", "mfa"], True, False),
        (["pwd"], True, True),
        (["pwd", "mfa"], False, True),
    ],
    ids=["provider-mfa-accepted", "no-mfa-claim", "organisation-does-not-accept-it"],
)
def test_it_honours_the_organisations_two_factor_rule(
    world: World,
    tenant: Tenant,
    amr,
    accept,
    asked_for_code,
) -> None:
    world.org.require_two_factor = True
    world.org.save()
    IdentityProvider.objects.for_org(world.org).update(accept_provider_mfa=accept)
    person = world.members[Role.CASE_OFFICER]
    device = TOTPDevice.objects.create(user=person, name="Phone", confirmed=True)
    tenant.add_person(person.email, amr=amr)
    client = Client()
    sso_sign_in(client, world.org.slug, person.email)
    response = client.get(reverse("cases:list"))
    if asked_for_code:
        assert response.status_code == 302 and response["Location"].startswith(reverse("two-factor"))
        client.post(reverse("two-factor"), {"token": f"{totp(device.bin_key):06d}", "next": "/"})
        assert client.get(reverse("cases:list")).status_code == 200
    else:
        assert response.status_code == 200
        # The provider's MFA stands for the code here only: changing the app's device still needs the code.
        assert client.post(reverse("two-factor-disable"))["Location"].startswith(reverse("two-factor"))
        assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_it_accepts_a_configured_acr_value_as_two_factor(world: World, tenant: Tenant) -> None:
    world.org.require_two_factor = True
    world.org.save()
    IdentityProvider.objects.for_org(world.org).update(
        accept_provider_mfa=True, accepted_acr_values="urn:strong"
    )
    person = world.members[Role.CASE_OFFICER]
    tenant.add_person(person.email, acr="urn:strong")
    client = Client()
    sso_sign_in(client, world.org.slug, person.email)
    assert client.get(reverse("cases:list")).status_code == 200


def test_it_refuses_password_sign_in_where_the_organisation_switched_it_off(
    world: World, tenant: Tenant
) -> None:
    IdentityProvider.objects.for_org(world.org).update(password_signin_off=True)
    person = world.members[Role.CASE_OFFICER]
    response = Client().post(reverse("login"), {"username": person.email, "password": PASSWORD}, **ADDR)
    page = response.content.decode()
    assert response.status_code == 200 and "signs you in with its own account" in page
    assert f"Sign in with {tenant.name}" in page and reverse("sso-start", args=[world.org.slug]) in page


def test_it_keeps_a_password_session_out_of_an_organisation_with_password_sign_in_off(
    world: World, oidc_server: Provider
) -> None:
    """In two organisations: the password reaches the one allowing it; the other needs its provider."""
    person = world.members[Role.CASE_OFFICER]
    do_add_member(world.other_org, person, [RoleSpec(Role.FRONTLINE)])
    tenant = oidc_server.tenant(f"oak-only-{world.org.pk}")
    configure(world.org, tenant, password_signin_off=True)
    client = Client()
    assert (
        client.post(reverse("login"), {"username": person.email, "password": PASSWORD}, **ADDR).status_code
        == 302
    )
    client.post(reverse("switch-organisation"), {"organisation": world.org.pk})
    assert client.get("/").wsgi_request.org == world.other_org  # type: ignore[attr-defined]


def test_it_signs_a_person_of_two_organisations_in_to_the_one_whose_provider_they_used(
    world: World, oidc_server: Provider
) -> None:
    person = world.members[Role.CASE_OFFICER]
    do_add_member(world.other_org, person, [RoleSpec(Role.FRONTLINE)])
    oak, marsh = oidc_server.tenant(f"oak2-{world.org.pk}"), oidc_server.tenant(f"marsh-{world.org.pk}")
    configure(world.org, oak)
    configure(
        world.other_org, marsh, domains="oakridge.test"
    )  # Marshgate's provider knows Oakridge e-mails too
    oak.add_person(person.email)
    marsh.add_person(person.email)
    for slug, org in ((world.other_org.slug, world.other_org), (world.org.slug, world.org)):
        client = Client()
        sso_sign_in(client, slug, person.email)
        assert client.session[SESSION_ORG_KEY] == org.pk and client.session[SSO_SESSION_KEY]["org"] == org.pk
        other = world.org if org == world.other_org else world.other_org
        client.post(reverse("switch-organisation"), {"organisation": other.pk})
        assert client.get("/").wsgi_request.org == org  # type: ignore[attr-defined]  # the other provider did not vouch for them
    # Each organisation's provider is its own: Oakridge's provider cannot sign anyone in to Marshgate.
    assert "_auth_user_id" not in Client().session


def _forge_state(query):
    return query | {"state": "forged-" + query["state"]}


@pytest.mark.parametrize(
    "tamper, expected",
    [
        ({"aud": "someone-elses-client"}, "not for this service (aud claim)"),
        ({"nonce": "replayed-nonce"}, "not for this service (nonce claim)"),
        ({"exp": 1_600_000_000, "iat": 1_599_999_000}, "has expired"),
        ({"iss": "http://127.0.0.1:1/evil"}, "not for this service (iss claim)"),
        ("other-key", "signature does not match"),
    ],
    ids=["wrong-audience", "wrong-nonce", "expired", "wrong-issuer", "forged-signature"],
)
def test_it_refuses_a_token_that_is_not_right_in_plain_words(
    world: World, tenant: Tenant, tamper, expected
) -> None:
    person = world.members[Role.FRONTLINE]
    tenant.add_person(person.email)
    tenant.tamper = {"sign_with": RSAKey.generate_key(2048)} if tamper == "other-key" else tamper
    client = Client()
    try:
        response = sso_sign_in(client, world.org.slug, person.email)
    finally:
        tenant.tamper = {}
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_forged_or_replayed_state(world: World, tenant: Tenant) -> None:
    person = world.members[Role.FRONTLINE]
    tenant.add_person(person.email)
    client = Client()
    response = sso_sign_in(client, world.org.slug, person.email, before_callback=_forge_state)
    assert response.status_code == 400 and "not started here or has expired" in response.content.decode()
    assert Client().get(reverse("sso-callback"), {"state": "x", "code": "y"}).status_code == 400
    assert Client().get(reverse("sso-callback")).status_code == 400
    assert "_auth_user_id" not in client.session


def test_it_refuses_a_wrong_client_id_plainly(world: World, tenant: Tenant) -> None:
    person = world.members[Role.FRONTLINE]
    tenant.add_person(person.email)

    def rename_client(query):
        IdentityProvider.objects.for_org(world.org).update(client_id="renamed-client")

    response = sso_sign_in(Client(), world.org.slug, person.email, before_callback=rename_client)
    assert response.status_code == 400 and "refused to finish signing in" in response.content.decode()


def test_it_answers_plainly_when_the_provider_cannot_be_reached(world: World) -> None:
    provider = IdentityProvider(
        organisation=world.org,
        is_enabled=True,
        issuer="http://127.0.0.1:9/none",
        client_id="x",
        allowed_domains="oakridge.test",
        button_label="Sign in with Nowhere",
    )
    provider.save()
    response = Client().get(reverse("sso-start", args=[world.org.slug]))
    assert response.status_code == 503 and "could not reach Nowhere" in response.content.decode()
    assert Client().get(reverse("sso-start", args=[world.other_org.slug])).status_code == 404


def test_it_deactivates_leavers_the_provider_no_longer_knows(world: World, tenant: Tenant) -> None:
    IdentityProvider.objects.for_org(world.org).update(users_endpoint=tenant.issuer + "/users/{id}")
    stayer, leaver, gone = (world.members[r] for r in (Role.FRONTLINE, Role.CASE_OFFICER, Role.NSO))
    for person in (stayer, leaver, gone):
        tenant.add_person(person.email)
        sso_sign_in(Client(), world.org.slug, person.email)
    tenant.people[leaver.email]["disabled"] = True
    del tenant.people[gone.email]
    assert jobs.deactivate_leavers() == 2
    active = set(
        Membership.objects.for_org(world.org).filter(is_active=True).values_list("user__email", flat=True)
    )
    assert stayer.email in active and leaver.email not in active and gone.email not in active
    assert AuditEvent.objects.for_org(world.org).filter(action="member.deactivated", actor=None).count() == 2


def test_it_changes_nothing_when_the_users_endpoint_does_not_answer(world: World, tenant: Tenant) -> None:
    IdentityProvider.objects.for_org(world.org).update(users_endpoint="http://127.0.0.1:9/users/{id}")
    person = world.members[Role.FRONTLINE]
    tenant.add_person(person.email)
    sso_sign_in(Client(), world.org.slug, person.email)
    assert jobs.deactivate_leavers() == 0
    assert Membership.objects.for_org(world.org).get(user=person).is_active


def test_it_sends_an_invitee_of_an_organisation_without_passwords_on_to_its_provider(
    world: World, tenant: Tenant
) -> None:
    from safeguard.tenancy.actions import do_invite

    IdentityProvider.objects.for_org(world.org).update(password_signin_off=True)
    invitation = do_invite(
        world.org,
        email="newcomer@oakridge.test",
        full_name="New Comer",
        job_title="",
        specs=[RoleSpec(Role.FRONTLINE)],
        acting_user=world.members[Role.ORG_ADMIN],
    )
    client = Client()
    response = client.post(
        reverse("accept-invitation", args=[invitation.token]),
        {
            "full_name": "New Comer",
            "password1": "a-Long-enough-passphrase-19",
            "password2": "a-Long-enough-passphrase-19",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sso-start", args=[world.org.slug]))
    tenant.add_person("newcomer@oakridge.test")
    sso_sign_in(client, world.org.slug, "newcomer@oakridge.test")
    assert client.get("/").wsgi_request.org == world.org  # type: ignore[attr-defined]
