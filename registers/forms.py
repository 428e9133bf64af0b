"""Forms of the registers app. Every choice is scoped to the organisation."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size, Submit
from django import forms
from django.utils import timezone

from cases.models import HarmCategory, PersonType
from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.models import Department, Membership, Organisation

from .models import LA_FLAGS, PERMISSION_LABELS, Entry, ExportFormat, RiskLevel

DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")


class EntryForm(forms.ModelForm):
    """The household, the risk and the local authority's involvement."""

    class Meta:
        model = Entry
        fields = ["household", "address", "tenancy_reference", "risk_level", "risk", "categories", "department",
                  "la_childrens_services", "la_adult_social_care", "cp_plan", "child_in_need", "marac",
                  "la_other", "actions", "escalations", "opened_on"]
        labels = {
            "household": "Household", "tenancy_reference": "Tenancy reference (optional)",
            "address": "Address (optional)", "categories": "Categories of harm",
            "la_other": "Other local authority involvement (optional)",
            "actions": "Actions agreed (optional)", "escalations": "Escalations (optional)",
            "opened_on": "Date put on the register",
        }
        help_texts = {"cp_plan": "Entries with a child protection plan are kept on the protected page."}
        widgets = {
            "risk_level": forms.RadioSelect, "categories": forms.CheckboxSelectMultiple, "opened_on": DATE,
            "address": forms.Textarea(attrs={"rows": 2}), "risk": forms.Textarea(attrs={"rows": 4}),
            "actions": forms.Textarea(attrs={"rows": 3}), "escalations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, org: Organisation, submit: str = "Save entry", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = HarmCategory.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["department"].queryset = Department.objects.for_org(org).filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["department"].empty_label = "Choose the department"  # type: ignore[attr-defined]
        self.fields["risk_level"].choices = RiskLevel.choices  # type: ignore[attr-defined]
        self.fields["risk_level"].error_messages["required"] = "Choose the level of risk"
        self.fields["household"].error_messages["required"] = "Enter the household, for example the surname"
        self.fields["risk"].error_messages["required"] = "Describe the risk"
        self.fields["department"].error_messages["required"] = "Choose the department"
        self.helper = gds_helper(self, submit)
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset("household", "address", "tenancy_reference", legend="The household", legend_size=Size.MEDIUM),
            Fieldset("risk_level", "risk", "categories", "department", legend="The risk", legend_size=Size.MEDIUM),
            Fieldset(*LA_FLAGS, "la_other", legend="The local authority's involvement", legend_size=Size.MEDIUM),
            Fieldset("actions", "escalations", "opened_on", legend="Actions and escalations",
                     legend_size=Size.MEDIUM),
        )

    def clean_opened_on(self) -> Any:
        value = self.cleaned_data["opened_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date put on the register cannot be in the future")
        return value


class PersonForm(forms.Form):
    """One person of the household."""

    person_type = forms.ChoiceField(label="Type", choices=PersonType.choices, initial=PersonType.ADULT)
    full_name = forms.CharField(label="Full name", max_length=200)
    date_of_birth = forms.DateField(label="Date of birth or due date (optional)", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Add person")


class PersonRowForm(PersonForm):
    """A row of the household on the entry form: a row without a name is left out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = False


class BasePeopleFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        named = [f for f in self.forms if f.cleaned_data.get("full_name")]
        if not named and not any(f.errors for f in self.forms):
            raise forms.ValidationError("Enter at least one person in the household")


PeopleFormSet = forms.formset_factory(PersonRowForm, formset=BasePeopleFormSet, extra=0, min_num=0,
                                     max_num=12, absolute_max=12)  # a forged TOTAL_FORMS builds at most 12 forms


class PersonEditForm(PersonForm):
    """Correct a person on an entry; ``version`` is the person's version when the form was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].error_messages["required"] = "Enter the person's full name"
        self.helper = gds_helper(self, "Save changes")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, kind = data.get("date_of_birth"), data.get("person_type")
        if born and kind != PersonType.UNBORN and born > timezone.localdate():
            self.add_error("date_of_birth", "The date of birth cannot be in the future, unless the child is unborn")
        return data


class RemovePersonForm(forms.Form):
    """Remove a person added in error, with the reason."""

    reason = forms.CharField(label="Why this person is being removed", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Enter the reason for removing this person"})
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.add_input(Submit("submit", "Remove this person", css_class="govuk-button--warning"))


class CloseForm(forms.Form):
    reason = forms.CharField(label="Why the risk has been removed", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter the reason the risk has been removed"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Close the entry")


class UpdateForm(forms.Form):
    """The monthly update after liaising with the originating officer."""

    liaised_on = forms.DateField(label="Date of the liaison", widget=DATE,
                                 error_messages={"required": "Enter the date of the liaison",
                                                 "invalid": "Enter a real date, for example 2026-11-27"})
    with_whom = forms.CharField(label="With whom", max_length=200,
                                help_text="The originating officer or others you spoke to.",
                                error_messages={"required": "Enter who you liaised with"})
    what_changed = forms.CharField(label="What has changed", widget=forms.Textarea(attrs={"rows": 4}),
                                   error_messages={"required": "Enter what has changed, or that nothing has"})
    actions = forms.CharField(label="Actions (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    escalations = forms.CharField(label="Escalations (optional)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Save update")

    def clean_liaised_on(self) -> Any:
        value = self.cleaned_data["liaised_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the liaison cannot be in the future")
        return value


class MarkForm(forms.Form):
    comment = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": "Enter a comment on the entry"})
    no_update_reason = forms.CharField(label="Reason there is no update this month (if none)", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))


class SignForm(forms.Form):
    summary = forms.CharField(label="Overall comment (optional)", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Sign off the review")


class AccessForm(forms.Form):
    """Give or take away one permission on one register."""

    member = forms.ModelChoiceField(label="Person", queryset=Membership.objects.none(),
                                    empty_label="Choose a person", error_messages={"required": "Choose a person"})
    register = forms.ChoiceField(label="Register")
    permission = forms.ChoiceField(label="Permission", choices=list(PERMISSION_LABELS.items()))
    allowed = forms.TypedChoiceField(label="Change", choices=[("1", "Give this permission"),
                                                              ("0", "Take this permission away")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect,
                                     error_messages={"required": "Choose whether to give or take away"})
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Enter the reason for the change"})

    def __init__(self, *args: Any, org: Organisation, registers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Membership.objects.for_org(org).filter(is_active=True).select_related("user")  # type: ignore[attr-defined]
        self.fields["member"].label_from_instance = lambda m: f"{m.user.full_name} ({m.user.email})"  # type: ignore[attr-defined]
        self.fields["register"].choices = [(str(r.pk), str(r)) for r in registers]  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Save the change")


class ExportForm(forms.Form):
    format = forms.ChoiceField(label="Format", choices=ExportFormat.choices, widget=forms.RadioSelect,
                               initial=ExportFormat.XLSX)
