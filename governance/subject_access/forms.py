"""Forms of the subject access app. Every choice is scoped to the organisation; free text refuses markup."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cases.forms import DATE_WIDGET, no_markup, not_future, text_field
from cases.models import Action, Case, CasePerson
from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.models import Organisation
from training.models import Person

from . import content, policy
from .models import Decision, FoundRecord, Kind, Mark, Request


def _date(label: str, *, required: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        validators=[not_future],
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a date",
        },
    )


class RequestForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)  # a double submit records one request
    kind = forms.ChoiceField(
        label="What kind of request is it?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of request"},
    )
    received_on = _date(
        "Date received",
        required=True,
        help_text="The one-month time limit starts from this day (or from identity verification).",
    )
    requester_name = text_field("Who made the request", max_length=200)
    requester_relationship = text_field(
        "Their relationship to the person",
        required=False,
        max_length=200,
        help_text="Leave empty if the person asked for themself; for example: solicitor, parent, advocate.",
    )
    requester_contact = text_field("How to reply to them", required=False, textarea=True)
    subject_name = text_field(
        "The person's full name", max_length=200, help_text="The person the records are about."
    )
    subject_date_of_birth = _date("The person's date of birth")
    subject_tenancy_reference = text_field("Tenancy reference", required=False, max_length=60)
    case_reference = text_field(
        "A case they are on (case reference)",
        required=False,
        max_length=20,
        help_text="Optional: links the request to the person on that case, for example SG-000001.",
    )
    subject_training_person = forms.ModelChoiceField(
        label="Their record in the training records",
        required=False,
        queryset=Person.objects.none(),
        help_text="Optional: for a colleague, volunteer or contractor.",
    )
    details = text_field("What they asked for", required=False, textarea=True)
    identity_verified_on = _date(
        "Date identity was verified",
        help_text="If later than the date received, the time limit starts from it.",
    )
    identity_method = text_field(
        "How identity was verified",
        required=False,
        max_length=200,
        help_text="For example: photo ID seen at the office, known tenant on a recorded call.",
    )
    fee_received_on = _date(
        "Date a fee was received", help_text="Only for a manifestly unfounded or excessive request."
    )
    extension_months = forms.TypedChoiceField(
        label="Extension",
        coerce=int,
        initial=0,
        required=False,
        empty_value=0,  # type: ignore[arg-type]  # Django returns it as given; the stubs allow str | None
        choices=[(0, "No extension"), (1, "One further month"), (2, "Two further months")],
        help_text="For a complex or numerous request; tell the person within the first month, with the reason.",
    )
    extension_reason = text_field("Reason for the extension", required=False, textarea=True)

    def __init__(self, *args: Any, org: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org = org
        person = cast(forms.ModelChoiceField, self.fields["subject_training_person"])
        person.queryset = Person.objects.for_org(org).order_by("full_name")
        self.helper = gds_helper(self, "Save the request")

    def clean_case_reference(self) -> str:
        return self.cleaned_data["case_reference"].strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ref, name = data.get("case_reference"), data.get("subject_name", "")
        data["subject_case_person"] = None
        if ref:
            people = list(CasePerson.objects.for_org(self.org).filter(case__reference=ref))
            if not people:
                self.add_error("case_reference", "There is no case with that reference")
            else:
                match = [
                    p
                    for p in people
                    if " ".join(p.full_name.split()).casefold() == " ".join(name.split()).casefold()
                ]
                if len(match) == 1 or len(people) == 1:
                    data["subject_case_person"] = (match or people)[0]
                else:
                    self.add_error("case_reference", "No one of that name is on the case: check the name")
        received = data.get("received_on")
        for field in ("identity_verified_on", "fee_received_on"):
            if received and data.get(field) and data[field] < received:
                self.add_error(field, "The date cannot be before the request was received")
        return data


class FindForm(forms.Form):
    """The search runs for the request's person; the terms never go in a URL."""


class MarkForm(forms.Form):
    mark = forms.ChoiceField(
        label="Is this record disclosed?",
        widget=forms.RadioSelect,
        choices=[(v, label) for v, label in Mark.choices if v != Mark.PENDING],
        error_messages={"required": "Choose whether to disclose or withhold the record"},
    )
    exemption_reason = text_field(
        "Exemption under which it is withheld",
        required=False,
        textarea=True,
        help_text="Required when the whole record is withheld; it is listed in the pack.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(self, "Save the decision")
        self.helper.form_tag = False  # the page's form carries which form was sent

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mark") == Mark.WITHHOLD and not data.get("exemption_reason", "").strip():
            self.add_error("exemption_reason", "Give the exemption under which the record is withheld")
        return data


class RedactionForm(forms.Form):
    part = forms.ChoiceField(
        label="What to redact", error_messages={"required": "Choose a part of the record"}
    )
    phrase = text_field(
        "Only this text (optional)",
        required=False,
        max_length=500,
        help_text="Copy the exact words to black out just them, for example the reporter's name. "
        "Leave empty to black out the whole part.",
    )
    reason = forms.CharField(
        label="Reason shown in the pack",
        max_length=200,
        validators=[no_markup],
        widget=forms.TextInput(attrs={"list": "redaction-reasons"}),
        error_messages={"required": "Give the reason for the redaction"},
        help_text="For example: " + "; ".join(policy.WITHHOLDING_REASONS[:2]) + ".",
    )

    def __init__(self, *args: Any, found: FoundRecord, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        part = cast(forms.ChoiceField, self.fields["part"])
        part.choices = [("", "Choose a part")] + content.part_choices(found)
        self.helper = gds_helper(self, "Redact")
        self.helper.form_tag = False


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    decision_reason = text_field(
        "Reason for the decision", textarea=True, required_message="Give the reason for the decision"
    )
    exemption = forms.ChoiceField(
        label="Why the records are not erased",
        required=False,
        choices=[("", "Not applicable")] + policy.ERASURE_EXEMPTIONS,
    )
    close = forms.BooleanField(label="The response has been sent: close the request", required=False)

    def __init__(self, *args: Any, request_obj: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if request_obj.kind != Kind.ERASURE:
            del self.fields["exemption"]
        self.helper = gds_helper(self, "Record the decision")


class RectifyForm(forms.Form):
    case = forms.ModelChoiceField(
        label="Case to correct", queryset=Case.objects.none(), error_messages={"required": "Choose the case"}
    )
    action = forms.ModelChoiceField(
        label="The action it corrects (optional)",
        required=False,
        queryset=Action.objects.none(),
        help_text="Leave empty to correct the concern as reported.",
    )
    text = text_field(
        "The correction",
        textarea=True,
        required_message="Write the correction",
        help_text="Added to the case as a dated, signed addendum that names this request. "
        "What was written before is kept as it was.",
    )

    def __init__(self, *args: Any, request_obj: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = request_obj.organisation_id
        case_ids = (
            FoundRecord.objects.for_org(org).filter(request=request_obj, case__isnull=False).values("case_id")
        )
        cast(forms.ModelChoiceField, self.fields["case"]).queryset = (
            Case.objects.for_org(org).filter(pk__in=case_ids).order_by("reference")
        )
        cast(forms.ModelChoiceField, self.fields["action"]).queryset = (
            Action.objects.for_org(org)
            .filter(case_id__in=case_ids)
            .select_related("case")
            .order_by("case__reference", "taken_on")
        )
        # An instance override of label_from_instance (as Django allows); mypy sees assigning to a method.
        cast(forms.ModelChoiceField, self.fields["action"]).label_from_instance = lambda a: (  # type: ignore[method-assign, assignment]
            f"{a.case.reference}: {a.get_action_type_display()} on {a.taken_on:%-d %B %Y}"
        )
        self.helper = gds_helper(self, "Add the correction")
