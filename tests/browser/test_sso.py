"""Single sign-on in Chromium: a person signs in through their organisation's provider (a real OpenID
Connect provider on 127.0.0.1), and the administrator's settings page passes axe."""

from __future__ import annotations

from safeguard.sso.models import IdentityProvider
from tests.factories import make_world
from tests.sso.provider import Provider


def test_it_signs_a_person_in_with_their_organisations_provider(
    page, live_url, login, axe_check, shot, settings
) -> None:
    settings.SITE_URL = live_url  # the redirect URI the provider sends the person back to
    world = make_world()
    server = Provider()
    try:
        tenant = server.tenant("contoso")
        tenant.interactive = True
        provider = IdentityProvider(
            organisation=world.org,
            is_enabled=True,
            issuer=tenant.issuer,
            client_id=tenant.client_id,
            allowed_domains="oakridge.test",
            button_label="Sign in with Contoso Entra ID",
        )
        provider.set_client_secret(tenant.client_secret)
        provider.save()
        person = world.members["case_officer"]
        tenant.add_person(person.email, amr=["pwd", "mfa"])

        page.goto("/account/login/")
        page.get_by_label("Work e-mail", exact=True).fill(person.email)
        page.get_by_role("button", name="Continue to your organisation's sign-in").click()
        page.wait_for_load_state()
        axe_check(page)
        shot(page, "01-offer")
        page.get_by_role("link", name="Sign in with Contoso Entra ID").click()
        page.wait_for_load_state()
        assert f"Sign in as {person.email}?" in page.content()  # the provider's own page
        shot(page, "02-provider")
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        assert page.url.rstrip("/") == live_url.rstrip("/")
        assert "Oakridge Housing" in page.content()
        shot(page, "03-home")

        admin = page.context.browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 900})
        admin_page = admin.new_page()
        login(admin_page, world.members["org_admin"])
        admin_page.goto("/organisation/single-sign-on/")
        axe_check(admin_page)
        admin_page.get_by_role("button", name="Test connection").click()
        admin_page.wait_for_load_state()
        assert "Found the discovery document" in admin_page.content()
        axe_check(admin_page)
        shot(admin_page, "04-settings-tested")
        admin.close()
    finally:
        server.stop()
