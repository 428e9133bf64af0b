"""Forms for referrals, consent, DASH, privacy reviews and access requests (GOV.UK style).

Every choice of person is limited to the case's own people; dates cannot be in
the future; what was typed is kept when something is wrong.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from cases.models import Case, CasePerson, PersonType
from safeguard.tenancy.forms import gds_helper

from .models import (
    DASH_QUESTIONS,
    Agency,
    Capacity,
    ConsentStatus,
    LawfulBasis,
    Outcome,
    ParentsTold,
    PrivacyReview,
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "govuk-input--width-10"})

# The 24 questions of the SafeLives DASH risk identification checklist, shortened.
DASH_QUESTION_TEXT = [
    "Has the current incident resulted in injury?",
    "Is the victim very frightened?",
    "What are they afraid of: further injury, violence or being killed?",
    "Does the victim feel isolated from family or friends?",
    "Are they feeling depressed or having suicidal thoughts?",
    "Have they separated or tried to separate from the abuser in the past year?",
    "Is there conflict over child contact?",
    "Does the abuser constantly text, call, contact, follow, stalk or harass them?",
    "Is the victim pregnant or recently had a baby?",
    "Is the abuse happening more often?",
    "Is the abuse getting worse?",
    "Does the abuser try to control everything they do or are they excessively jealous?",
    "Has the abuser ever used weapons or objects to hurt them?",
    "Has the abuser ever threatened to kill them or someone else, and were they believed?",
    "Has the abuser ever attempted to strangle, choke, suffocate or drown them?",
    "Does the abuser do or say things of a sexual nature that make them feel bad or hurt them?",
    "Is there any other person who has threatened them or that they are afraid of?",
    "Does the abuser know they have hurt anyone else (children, siblings, an elderly relative)?",
    "Has the abuser ever mistreated an animal or the family pet?",
    "Are there any financial issues, or is the victim dependent on the abuser for money?",
    "Has the abuser had problems with drugs, alcohol or mental health in the past year?",
    "Has the abuser ever threatened or attempted suicide?",
    "Has the abuser ever broken bail, an injunction or a formal agreement?",
    "Is the abuser known to have been in trouble with the police or to have a criminal history?",
]
assert len(DASH_QUESTION_TEXT) == DASH_QUESTIONS


def _not_future(value: date | None, what: str) -> None:
    if value is not None and value > timezone.localdate():
        raise forms.ValidationError(f"{what} must be today or in the past")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CasePerson) -> str:
        return f"{obj.full_name} ({obj.get_person_type_display().lower()})"


def _people(case: Case) -> Any:
    return CasePerson.objects.for_org(case.organisation_id).filter(case=case)


class ConsentForm(forms.Form):
    person = PersonChoiceField(label="Who is this about?", queryset=CasePerson.objects.none(),
                               empty_label=None, widget=forms.RadioSelect,
                               error_messages={"required": "Choose who the consent is about"})
    status = forms.ChoiceField(label="Consent to share information", choices=ConsentStatus.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Choose whether consent was given"})
    decided_on = forms.DateField(label="Date consent was sought or answered", widget=DATE_WIDGET,
                                 error_messages={"required": "Enter the date consent was sought or answered",
                                                 "invalid": "Enter a real date, for example 27 3 2026"})
    capacity = forms.ChoiceField(label="Mental capacity to make this decision", choices=Capacity.choices,
                                 widget=forms.RadioSelect, initial=Capacity.NOT_ASSESSED)
    capacity_notes = forms.CharField(label="Notes on capacity", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text="How capacity was assessed, and by whom.")
    parents_told = forms.ChoiceField(label="For a child: were parents or carers told?", required=False,
                                     choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    parents_not_told_reason = forms.CharField(label="For a child: why parents or carers were not told",
                                              required=False, widget=forms.Textarea(attrs={"rows": 3}))
    notes = forms.CharField(label="Other notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["person"].queryset = _people(case)  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Record consent")

    def clean_decided_on(self) -> date:
        value = self.cleaned_data["decided_on"]
        _not_future(value, "The date")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = data.get("person")
        if person is not None and person.person_type in (PersonType.CHILD, PersonType.UNBORN):
            if not data.get("parents_told"):
                self.add_error("parents_told", "Say whether parents or carers were told")
            elif data["parents_told"] == ParentsTold.NO and not data.get("parents_not_told_reason", "").strip():
                self.add_error("parents_not_told_reason", "Explain why parents or carers were not told")
        if data.get("capacity") == Capacity.LACKS and not data.get("capacity_notes", "").strip():
            self.add_error("capacity_notes", "Explain how it was decided that the person lacks capacity")
        return data


class ReferralForm(forms.Form):
    agency = forms.ChoiceField(label="Who is the referral or alert to?", choices=Agency.choices,
                               widget=forms.RadioSelect, error_messages={"required": "Choose who the referral is to"})
    agency_name = forms.CharField(label="Authority or team (optional)", required=False, max_length=200,
                                  help_text="For example, the local authority's adult social care team.")
    person = PersonChoiceField(label="Who is it about?", queryset=CasePerson.objects.none(), required=False,
                               empty_label="Everyone on the case", widget=forms.RadioSelect, blank=True)
    reason = forms.CharField(label="Why are you making this referral?", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter why you are making this referral"})
    decided_on = forms.DateField(label="Date of the decision to refer", widget=DATE_WIDGET,
                                 help_text="It must be made within the organisation's deadline in working days.",
                                 error_messages={"required": "Enter the date you decided to refer",
                                                 "invalid": "Enter a real date"})
    made_on = forms.DateField(label="Date the referral was made (leave empty if not yet made)", required=False,
                              widget=DATE_WIDGET, error_messages={"invalid": "Enter a real date"})
    agency_reference = forms.CharField(label="The agency's reference (optional)", required=False, max_length=100)
    override_basis = forms.ChoiceField(label="Lawful basis for referring without consent",
                                       choices=[("", "Choose a lawful basis"), *LawfulBasis.choices], required=False)
    override_reason = forms.CharField(label="Why you are referring without consent", required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, case: Case, consent_missing_for: list[CasePerson], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.consent_missing_for = consent_missing_for
        self.fields["person"].queryset = _people(case)  # type: ignore[attr-defined]
        self.helper = gds_helper(self, "Record referral")

    def clean_decided_on(self) -> date:
        value = self.cleaned_data["decided_on"]
        _not_future(value, "The date of the decision")
        return value

    def clean_made_on(self) -> date | None:
        value = self.cleaned_data.get("made_on")
        _not_future(value, "The date the referral was made")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        made, decided = data.get("made_on"), data.get("decided_on")
        if made and decided and made < decided:
            self.add_error("made_on", "The referral cannot be made before the decision to refer")
        if data.get("agency") == Agency.OTHER and not data.get("agency_name", "").strip():
            self.add_error("agency_name", "Enter who the referral is to")
        self._check_override(data)
        return data

    def _check_override(self, data: dict[str, Any]) -> None:
        person = data.get("person")
        missing = [p for p in self.consent_missing_for if person is None or p.pk == person.pk]
        if not missing:
            return
        if not data.get("override_basis"):
            self.add_error("override_basis", "Consent has not been given: choose the lawful basis for referring without it")
        if not data.get("override_reason", "").strip():
            self.add_error("override_reason", "Consent has not been given: explain why you are referring without it")


class MadeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    made_on = forms.DateField(label="Date the referral was made", widget=DATE_WIDGET,
                              error_messages={"required": "Enter the date the referral was made",
                                              "invalid": "Enter a real date"})
    agency_reference = forms.CharField(label="The agency's reference (optional)", required=False, max_length=100)

    def __init__(self, *args: Any, decided_on: date, **kwargs: Any) -> None:
        super().__init__(*args, prefix="made", **kwargs)  # type: ignore[misc]
        self.decided_on = decided_on
        self.helper = gds_helper(self, "Record that it was made")

    def clean_made_on(self) -> date:
        value = self.cleaned_data["made_on"]
        _not_future(value, "The date")
        if value < self.decided_on:
            raise forms.ValidationError("The referral cannot be made before the decision to refer")
        return value


class OutcomeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=[c for c in Outcome.choices if c[0] != Outcome.AWAITING],
                                error_messages={"required": "Choose the outcome"})
    response_on = forms.DateField(label="Date the agency responded", required=False, widget=DATE_WIDGET,
                                  help_text="Leave empty if there was no response.",
                                  error_messages={"invalid": "Enter a real date"})
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, made_on: date | None, **kwargs: Any) -> None:
        super().__init__(*args, prefix="outcome", **kwargs)  # type: ignore[misc]
        self.made_on = made_on
        self.helper = gds_helper(self, "Record outcome")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        response_on, outcome = data.get("response_on"), data.get("outcome")
        if outcome in (Outcome.ACCEPTED, Outcome.DECLINED) and response_on is None:
            self.add_error("response_on", "Enter the date the agency responded")
        if response_on is not None:
            if response_on > timezone.localdate():
                self.add_error("response_on", "The date must be today or in the past")
            elif self.made_on and response_on < self.made_on:
                self.add_error("response_on", "The response cannot be before the referral was made")
        return data


class DashForm(forms.Form):
    person = PersonChoiceField(label="Who was assessed?", queryset=CasePerson.objects.none(), required=False,
                               empty_label="Not recorded", widget=forms.RadioSelect, blank=True)
    assessed_on = forms.DateField(label="Date of the assessment", widget=DATE_WIDGET,
                                  error_messages={"required": "Enter the date of the assessment",
                                                  "invalid": "Enter a real date"})
    method = forms.ChoiceField(label="How do you want to record it?", widget=forms.RadioSelect, initial="questions",
                               choices=[("questions", "Answer the 24 questions here"),
                                        ("total", "Enter the total score from an assessment done elsewhere")])
    total = forms.IntegerField(label="Total score (0 to 24)", required=False, min_value=0, max_value=DASH_QUESTIONS,
                               widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                               error_messages={"min_value": "The score must be between 0 and 24",
                                               "max_value": "The score must be between 0 and 24",
                                               "invalid": "Enter the score as a whole number"})
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(case)  # type: ignore[attr-defined]
        for i, text in enumerate(DASH_QUESTION_TEXT, start=1):
            self.fields[f"q{i}"] = forms.BooleanField(label=f"{i}. {text}", required=False)
        self.helper = gds_helper(self, "Record DASH assessment")
        questions = [Field.checkbox(f"q{i}") for i in range(1, DASH_QUESTIONS + 1)]
        self.helper.layout = Layout(
            "person", Field("assessed_on"), "method", Field("total"),
            Fieldset(HTML('<p class="govuk-hint">Tick each question answered "yes".</p>'), *questions,
                     legend="The 24 DASH questions", legend_size=Size.MEDIUM),
            "notes",
        )

    def clean_assessed_on(self) -> date:
        value = self.cleaned_data["assessed_on"]
        _not_future(value, "The date")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == "total" and data.get("total") is None and "total" not in self.errors:
            self.add_error("total", "Enter the total score")
        return data

    def answers(self) -> list[bool] | None:
        if self.cleaned_data["method"] == "total":
            return None
        return [bool(self.cleaned_data.get(f"q{i}")) for i in range(1, DASH_QUESTIONS + 1)]


class PrivacyDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Was referring without consent appropriate?", widget=forms.RadioSelect,
        choices=[(PrivacyReview.Decision.APPROPRIATE, "Appropriate: lawful and proportionate"),
                 (PrivacyReview.Decision.NOT_APPROPRIATE, "Not appropriate")],
        error_messages={"required": "Choose whether it was appropriate"})
    notes = forms.CharField(label="Notes on your decision", widget=forms.Textarea(attrs={"rows": 4}),
                            error_messages={"required": "Enter notes explaining your decision"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Record decision")


class AccessRequestForm(forms.Form):
    reason = forms.CharField(label="Why do you need to see this case?", widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": "Enter why you need to see this case"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Ask for access")


class AccessDecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[("grant", "Grant access (to read the case)"), ("refuse", "Refuse")],
                                 error_messages={"required": "Choose grant or refuse"})
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Record decision")


class PeriodForm(forms.Form):
    """An optional period (dates of the decision to refer) for the reports."""

    start = forms.DateField(label="From", required=False, widget=DATE_WIDGET,
                            error_messages={"invalid": "Enter a real date for the start of the period"})
    end = forms.DateField(label="To", required=False, widget=DATE_WIDGET,
                          error_messages={"invalid": "Enter a real date for the end of the period"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Show")
        self.helper.form_method = "get"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end of the period must be on or after its start")
        return data

    def filter(self, qs: Any, field: str = "decided_on") -> Any:
        """``qs`` limited to the period when the form is valid, else unchanged."""
        if not self.is_valid():
            return qs
        if self.cleaned_data.get("start"):
            qs = qs.filter(**{f"{field}__gte": self.cleaned_data["start"]})
        if self.cleaned_data.get("end"):
            qs = qs.filter(**{f"{field}__lte": self.cleaned_data["end"]})
        return qs
