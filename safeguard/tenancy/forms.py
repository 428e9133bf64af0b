"""Forms of the foundation. Every choice is scoped to the current organisation."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from .models import INTERVAL_BOUNDS, Area, Department, Organisation, User
from .roles import Role


def gds_helper(form: forms.BaseForm, submit: str = "Save") -> FormHelper:
    helper = FormHelper(form)
    helper.add_input(Submit("submit", submit))
    return helper


class EmailLoginForm(AuthenticationForm):
    username = forms.EmailField(label="E-mail address", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    password = forms.CharField(label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password. Both are case-sensitive.",
        "inactive": "This account has been deactivated.",
        "sso_only": "Your organisation signs you in with its own account, not a Safeguard password. "
                    "Use the sign-in button above.",
    }
    sso_providers: list[Any] | None = None

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        from safeguard.sso.signin import sso_only_providers

        providers = sso_only_providers(user)
        if providers is not None:
            self.sso_providers = providers
            raise forms.ValidationError(self.error_messages["sso_only"], code="sso_only")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Sign in")


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app", max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "govuk-input--width-10"}),
        help_text="Open the app and enter the 6-digit code it shows for Safeguard.",
    )

    def __init__(self, *args: Any, submit: str = "Continue", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, submit)

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return token


class RolesFieldMixin(forms.Form):
    """Roles, and the areas and departments that limit them (none ticked: all)."""

    org: Organisation

    def _add_role_fields(self, org: Organisation) -> None:
        self.fields["roles"] = forms.MultipleChoiceField(
            label="Roles", choices=Role.choices, widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one role"},
        )
        self.fields["areas"] = forms.ModelMultipleChoiceField(
            label="Limit case, register and review roles to these areas",
            queryset=Area.objects.for_org(org).filter(is_active=True), required=False,
            widget=forms.CheckboxSelectMultiple, help_text="Leave empty for every area.",
        )
        self.fields["departments"] = forms.ModelMultipleChoiceField(
            label="Limit them to these departments",
            queryset=Department.objects.for_org(org).filter(is_active=True), required=False,
            widget=forms.CheckboxSelectMultiple, help_text="Leave empty for every department.",
        )


class InviteForm(RolesFieldMixin):
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="E-mail address")
    job_title = forms.CharField(label="Job title", max_length=120, required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self._add_role_fields(org)
        self.helper = gds_helper(self, "Send invitation")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip().lower()
        return email


class MemberRolesForm(RolesFieldMixin):
    job_title = forms.CharField(label="Job title", max_length=120, required=False)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self._add_role_fields(org)
        self.helper = gds_helper(self, "Save roles")


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200)
    password1 = forms.CharField(label="Create a password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text="At least 12 characters. Avoid common words and your name.")
    password2 = forms.CharField(label="Confirm the password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.helper = gds_helper(self, "Create account and join")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match")
        elif p1:
            try:
                password_validation.validate_password(p1, User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class OrganisationSettingsForm(forms.ModelForm[Organisation]):
    class Meta:
        model = Organisation
        fields = [
            "name", "require_two_factor", "action_interval_safeguarding_days", "action_interval_wow_days",
            "alert_deadline_working_days", "referral_response_days", "register_review_interval_months",
            "dbs_renewal_years", "training_refresh_years",
            "immediate_risk_action_working_days",  # issue 15: the immediate-risk first action
        ]
        labels = {
            "require_two_factor": "Require two-factor authentication for everyone",
            "action_interval_safeguarding_days": "Days allowed between actions on a safeguarding case",
            "action_interval_wow_days": "Days allowed between actions on a wellbeing or welfare case",
            "alert_deadline_working_days": "Working days allowed to make an alert",
            "immediate_risk_action_working_days": "Working days allowed for the first action when someone is at immediate risk",
            "referral_response_days": "Days to wait for an authority's response to a referral",
            "register_review_interval_months": "Months between register reviews",
            "dbs_renewal_years": "Years between DBS checks",
            "training_refresh_years": "Years between safeguarding training",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in INTERVAL_BOUNDS.items():
            field = self.fields[name]
            field.widget.attrs.update({"class": "govuk-input--width-3", "min": low, "max": high})
            field.help_text = f"From {low} to {high}."
            field.error_messages.update({"invalid": f"Enter a whole number from {low} to {high}",
                                         "required": f"Enter a number from {low} to {high}",
                                         "min_value": f"Enter a number from {low} to {high}",
                                         "max_value": f"Enter a number from {low} to {high}"})
        self.helper = gds_helper(self, "Save settings")


class NamedItemForm(forms.Form):
    name = forms.CharField(label="Name", max_length=120)

    def __init__(self, *args: Any, label: str, submit: str, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = label
        self.helper = gds_helper(self, submit)
        self.helper.form_action = action
