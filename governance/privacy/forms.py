"""Forms of the privacy app: a retention rule, a legal hold and its lifting, a delegate, the review decision."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cases.models import Case, CasePerson
from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.models import Membership, Organisation

from . import policy
from .models import LegalHold, RetentionRule, Trigger

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")


class RuleForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = RetentionRule
        fields = ["trigger", "period_months", "also_trigger", "also_period_months", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = policy.TRIGGERS[self.instance.kind]
        labels = dict(Trigger.choices)
        cast(forms.ChoiceField, self.fields["trigger"]).choices = [(t, labels[t]) for t in allowed]
        also = cast(forms.ChoiceField, self.fields["also_trigger"])
        also.choices = [("", "No second trigger")] + [(t, labels[t]) for t in allowed]
        self.fields["also_trigger"].required = False
        self.fields["period_months"].help_text = "For example 72 for 6 years, 300 for 25 years."
        self.fields["also_period_months"].label = "For (months), from the second trigger"
        cast(forms.CharField, self.fields["reason"]).max_length = 2000
        self.fields["reason"].widget.attrs["maxlength"] = 2000
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = gds_helper(self, "Save the rule")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("also_trigger") and not data.get("also_period_months"):
            self.add_error(
                "also_period_months", "Enter the months from the second trigger, or choose no second trigger"
            )
        if data.get("also_period_months") and not data.get("also_trigger"):
            self.add_error("also_trigger", "Choose the second trigger, or leave its months empty")
        if not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why records are kept this long")
        return data


class HoldForm(forms.Form):
    scope = forms.ChoiceField(
        label="What the hold covers", choices=LegalHold.Scope.choices, widget=forms.RadioSelect
    )
    case_reference = forms.CharField(
        label="Case reference",
        required=False,
        max_length=20,
        help_text="For a case, or the case a person is recorded on.",
    )
    person_name = forms.CharField(
        label="The person's full name, as recorded on that case",
        required=False,
        max_length=200,
        help_text="Only for a hold on a person.",
    )
    reason = forms.CharField(
        label="Why the records must be kept",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example the inquiry, case review or claim, and its reference.",
    )
    starts_on = forms.DateField(label="Held from", widget=DATE_INPUT)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        self.case: Case | None = None
        self.person: CasePerson | None = None
        self.helper = gds_helper(self, "Place the hold")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope in (LegalHold.Scope.CASE, LegalHold.Scope.PERSON):
            ref = (data.get("case_reference") or "").strip()
            self.case = (
                Case.objects.for_org(self.org)
                .filter(reference__iexact=ref, destroyed_at__isnull=True)
                .first()
                if ref
                else None
            )
            if self.case is None:
                self.add_error("case_reference", "Enter the reference of a case of your organisation")
        if scope == LegalHold.Scope.PERSON and self.case is not None:
            name = (data.get("person_name") or "").strip()
            self.person = self.case.people.filter(full_name__iexact=name).first() if name else None
            if self.person is None:
                self.add_error("person_name", "Enter the full name of a person recorded on that case")
        return data


class LiftForm(forms.Form):
    reason = forms.CharField(
        label="Why the hold can be lifted", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Lift the hold")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.full_name} ({obj.user.email})"


class DelegateForm(forms.Form):
    membership = MemberChoiceField(
        label="Colleague", queryset=Membership.objects.none(), empty_label="Choose a colleague"
    )

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(MemberChoiceField, self.fields["membership"]).queryset = (
            Membership.objects.for_org(org)
            .filter(is_active=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.helper = gds_helper(self, "Name as a delegate")


class ReviewForm(forms.Form):
    """The decision on the records ticked in the queue (the ticks are checked against the page's items)."""

    items = forms.MultipleChoiceField(
        label="Records", choices=[], error_messages={"required": "Choose at least one record"}
    )
    decision = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        choices=[("keep", "Keep them until a new date"), ("destroy", "Destroy them permanently")],
        error_messages={"required": "Choose keep or destroy"},
    )
    keep_reason = forms.CharField(
        label="Why they are kept", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    keep_until = forms.DateField(label="Keep until", required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, item_ids: list[int], today: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        cast(forms.MultipleChoiceField, self.fields["items"]).choices = [
            (str(pk), str(pk)) for pk in item_ids
        ]
        self.helper = gds_helper(
            self, "Record the decision"
        )  # the error summary reads it; the page lays it out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "keep":
            if not (data.get("keep_reason") or "").strip():
                self.add_error("keep_reason", "Enter why the records are kept")
            until = data.get("keep_until")
            if until is None:
                if "keep_until" not in self.errors:
                    self.add_error("keep_until", "Enter the date to keep them until")
            else:
                problem = policy.keep_until_ok(until, self.today)
                if problem:
                    self.add_error("keep_until", problem)
        return data

    @property
    def item_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("items", [])]
