"""The organisation administrator's single sign-on page."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safeguard.sso.models import IdentityProvider
from safeguard.tenancy.models import AuditEvent
from safeguard.tenancy.roles import Role
from tests.factories import World

from .provider import Provider


def _admin(world: World) -> Client:
    client = Client()
    client.force_login(world.members[Role.ORG_ADMIN])
    return client


def _form(issuer: str, **extra: str) -> dict[str, str]:
    return {
        "is_enabled": "on",
        "button_label": "Sign in with Contoso Entra ID",
        "issuer": issuer,
        "client_id": "abc",
        "client_secret": "s3cret-value",
        "allowed_domains": "@Oakridge.test, oakridge.org.uk",
        "version": "",
        **extra,
    }


def test_it_saves_the_provider_with_the_secret_encrypted(world: World, oidc_server: Provider) -> None:
    tenant = oidc_server.tenant(f"settings-{world.org.pk}")
    client = _admin(world)
    page = client.get(reverse("sso-settings"))
    assert page.status_code == 200 and "/sso/callback/" in page.content.decode()
    response = client.post(reverse("sso-settings"), _form(tenant.issuer))
    assert response.status_code == 302
    provider = IdentityProvider.objects.for_org(world.org).get()
    assert provider.client_secret == "s3cret-value" and "s3cret-value" not in provider.client_secret_encrypted
    assert provider.domains == ["oakridge.test", "oakridge.org.uk"]
    event = AuditEvent.objects.for_org(world.org).get(action="sso.configured")
    assert "client_secret" in event.detail["changed"] and "s3cret" not in str(event.detail)
    # Saving again without a secret keeps it.
    client.post(
        reverse("sso-settings"), _form(tenant.issuer, client_secret="", version=str(provider.version))
    )
    assert IdentityProvider.objects.for_org(world.org).get().client_secret == "s3cret-value"


def test_it_explains_mistakes_in_plain_words(world: World) -> None:
    response = _admin(world).post(
        reverse("sso-settings"), _form("not a url", allowed_domains="nodot", client_secret="", client_id="")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the issuer as a web address" in page
    assert "nodot is not an e-mail domain" in page
    assert "Enter the client ID" in page
    assert "Enter the client secret before switching single sign-on on" in page


def test_it_refuses_an_edit_made_on_a_stale_page(world: World, oidc_server: Provider) -> None:
    tenant = oidc_server.tenant(f"stale-{world.org.pk}")
    client = _admin(world)
    client.post(reverse("sso-settings"), _form(tenant.issuer))
    version = IdentityProvider.objects.for_org(world.org).get().version
    client.post(
        reverse("sso-settings"), _form(tenant.issuer, button_label="Sign in first", version=str(version))
    )
    response = client.post(
        reverse("sso-settings"), _form(tenant.issuer, button_label="Sign in second", version=str(version))
    )
    assert "Someone else changed this record" in response.content.decode()
    assert IdentityProvider.objects.for_org(world.org).get().button_label == "Sign in first"


def test_it_tests_the_connection_and_says_what_worked(world: World, oidc_server: Provider) -> None:
    tenant = oidc_server.tenant(f"test-{world.org.pk}")
    client = _admin(world)
    client.post(reverse("sso-settings"), _form(tenant.issuer))
    page = client.post(reverse("sso-test")).content.decode()
    assert "Found the discovery document" in page and "Found 1 signing key(s)" in page
    IdentityProvider.objects.for_org(world.org).update(issuer=tenant.base + "/no-such-tenant")
    page = client.post(reverse("sso-test")).content.decode()
    assert "answered HTTP 404" in page
    IdentityProvider.objects.for_org(world.org).update(issuer="http://127.0.0.1:9/closed")
    response = client.post(reverse("sso-test"))
    assert (
        response.status_code == 200 and "Could not reach the discovery document" in response.content.decode()
    )


def test_it_reads_secrets_after_a_key_rotation_and_not_with_another_key(settings) -> None:
    from cryptography.fernet import Fernet

    from safeguard.sso import fieldcrypt

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SAFEGUARD_FIELD_KEYS = [old]
    token = fieldcrypt.encrypt("client-secret")
    settings.SAFEGUARD_FIELD_KEYS = [new, old]  # rotated: the new key first, the old still reads
    assert fieldcrypt.decrypt(token) == "client-secret"
    settings.SAFEGUARD_FIELD_KEYS = [new]
    assert fieldcrypt.decrypt(token) == ""  # unreadable: the administrator enters the secret again
    settings.SAFEGUARD_FIELD_KEYS = []
    assert fieldcrypt.decrypt(fieldcrypt.encrypt("derived")) == "derived"  # derived from SECRET_KEY
