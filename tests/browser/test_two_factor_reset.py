"""An administrator resets a person's lost two-factor device from the person's page, in Chromium."""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.tenancy.models import Notification
from tests.factories import PASSWORD, make_world


def test_it_lets_an_administrator_reset_a_lost_device_after_confirming_it_is_them(page, live_url, login, axe_check,
                                                                                  shot) -> None:
    world = make_world()
    person = world.members["case_officer"]
    TOTPDevice.objects.create(user=person, name="Lost phone", confirmed=True)
    login(page, world.members["org_admin"])
    page.goto(f"/organisation/people/{world.membership('case_officer').pk}/")
    axe_check(page)
    shot(page, "01-person-page")
    page.get_by_role("button", name="Reset two-factor authentication").click()
    page.wait_for_load_state()
    assert "Confirm it is you" in page.content()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm it is you").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Reset two-factor authentication").click()
    page.wait_for_load_state()
    assert "They will set up their app again when they next sign in" in page.content()
    assert "Not set up yet" in page.content()
    axe_check(page)
    shot(page, "02-reset-done")
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert Notification.objects.for_org(world.org).filter(recipient=person, kind="account.two_factor_reset").exists()
