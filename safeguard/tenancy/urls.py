from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.urls import path

from .forms import gds_helper
from .views import accounts, mail, notifications, org, password_reset, people


class _GdsSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]  # not subscriptable at run time
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Set password")


class _GdsPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Change password")


urlpatterns = [
    path("", org.home, name="home"),
    path("health/", org.health, name="health"),
    path("account/login/", accounts.SignInView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", accounts.account, name="account"),
    path("account/two-factor/", accounts.two_factor, name="two-factor"),
    path("account/two-factor/setup/", accounts.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/disable/", accounts.two_factor_disable, name="two-factor-disable"),
    path("account/confirm/", accounts.reauthenticate, name="reauthenticate"),
    path("account/password/", auth_views.PasswordChangeView.as_view(form_class=_GdsPasswordChangeForm),
         name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/password-reset/", password_reset.password_reset, name="password_reset"),
    path("account/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("account/password-reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(form_class=_GdsSetPasswordForm), name="password_reset_confirm"),
    path("account/password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("account/invitation/<str:token>/", people.accept_invitation, name="accept-invitation"),
    path("organisation/switch/", org.switch_organisation, name="switch-organisation"),
    path("organisation/none/", org.no_organisation, name="no-organisation"),
    path("organisation/settings/", people.organisation_settings, name="organisation-settings"),
    path("organisation/areas/add/", people.add_area, name="area-add"),
    path("organisation/departments/add/", people.add_department, name="department-add"),
    path("organisation/people/", people.PeopleListView.as_view(), name="people"),
    path("organisation/people/invite/", people.invite, name="people-invite"),
    path("organisation/people/<int:pk>/", people.person_detail, name="people-detail"),
    path("organisation/people/<int:pk>/deactivate/", people.person_deactivate, name="people-deactivate"),
    path("organisation/people/<int:pk>/reactivate/", people.person_reactivate, name="people-reactivate"),
    path("organisation/people/<int:pk>/two-factor/reset/", people.person_reset_two_factor,
         name="people-reset-two-factor"),
    path("organisation/invitations/<int:pk>/revoke/", people.invitation_revoke, name="invitation-revoke"),
    path("organisation/mail-not-sent/", mail.undelivered_mail, name="undelivered-mail"),
    path("organisation/mail-not-sent/send-again/", mail.send_again, name="undelivered-mail-retry"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification-open"),
    path("notifications/read-all/", notifications.notification_mark_all, name="notifications-read-all"),
]
