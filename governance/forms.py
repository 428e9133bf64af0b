"""Forms of governance records: one builder for every kind, choices scoped to the organisation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models as dj

from cases.files import check_upload
from safeguard.tenancy.forms import gds_helper
from safeguard.tenancy.models import Organisation, User

from .kinds import Kind

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")
YES_NO_UNKNOWN = [("", "Not known yet"), ("true", "Yes"), ("false", "No")]


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


class MembersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.email


def org_users(org: Organisation) -> dj.QuerySet[User]:
    from safeguard.tenancy.models import Membership

    ids = Membership.objects.for_org(org).filter(is_active=True).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("full_name", "email")


def _references(text: str) -> list[str]:
    return [r.strip().upper() for r in text.replace(",", "\n").splitlines() if r.strip()]


class RecordForm(forms.ModelForm):
    """Base of every record form: plain-word errors, the version for optimistic locking, a document."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def validate_unique(self) -> None:
        """The model's unique constraints as plain form errors, checked inside the organisation's scope.

        Django's own check queries the default manager without an organisation (refused by the scoping)
        and skips constraints on fields the form does not show, so a double submit of an add form reached
        the database as an IntegrityError. This checks every plain unique constraint here instead.
        """
        model = self._meta.model
        for constraint in model._meta.constraints:
            if not isinstance(constraint, dj.UniqueConstraint) or constraint.condition is not None \
                    or not constraint.fields:
                continue
            names = [f for f in constraint.fields if f != "organisation"]
            values = {model._meta.get_field(f).attname: getattr(self.instance, model._meta.get_field(f).attname)
                      for f in names}
            if not values or any(v is None for v in values.values()):
                continue
            clash = model.objects.for_org(self.org).filter(**values)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                shown = [f for f in names if f in self.fields]
                what = " and ".join(str(model._meta.get_field(f).verbose_name) for f in shown) or "these details"
                self.add_error(shown[-1] if shown else None,
                               f"There is already a {self.kind.singular} with this {what}")

    def __init__(self, *args: Any, org: Organisation, kind: Kind, visible_cases: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.org, self.kind, self.visible_cases = org, kind, visible_cases
        users = org_users(org)
        for name, fld in list(self.fields.items()):
            model_field = self._meta.model._meta.get_field(name) if name in kind.fields else None
            if isinstance(model_field, dj.ForeignKey) and model_field.related_model is User:
                self.fields[name] = MemberChoice(users, required=fld.required, label=fld.label,
                                                 help_text=fld.help_text, empty_label="Choose a person")
            elif isinstance(model_field, dj.ManyToManyField) and model_field.related_model is User:
                self.fields[name] = MembersChoice(users, required=False, label=fld.label, help_text=fld.help_text,
                                                  widget=forms.CheckboxSelectMultiple)
            elif isinstance(model_field, dj.ForeignKey):
                fld.queryset = model_field.related_model.objects.for_org(org)  # type: ignore[attr-defined]
            elif isinstance(model_field, dj.DateField):
                fld.widget = DATE_INPUT
                fld.error_messages["invalid"] = f"Enter a real date for the {fld.label.lower()}"  # type: ignore[union-attr]
            elif isinstance(model_field, dj.BooleanField) and model_field.null:
                self.fields[name] = forms.TypedChoiceField(
                    choices=YES_NO_UNKNOWN, coerce=lambda v: {"true": True, "false": False}.get(v),
                    empty_value=None, required=False, label=fld.label, widget=forms.RadioSelect)
                if self.instance.pk:
                    value = getattr(self.instance, name)
                    self.initial[name] = "" if value is None else ("true" if value else "false")
            if self.fields[name].required:
                self.fields[name].error_messages["required"] = f"Enter the {self.fields[name].label.lower()}"  # type: ignore[union-attr]
            if isinstance(self.fields[name], forms.ModelChoiceField) and self.fields[name].required:
                self.fields[name].error_messages["required"] = f"Choose the {self.fields[name].label.lower()}"  # type: ignore[union-attr]
        if kind.has_case:
            self.fields["case_reference"] = forms.CharField(
                label="Linked case (optional)", required=False, max_length=20,
                help_text="The case reference, for example SG-2026-0001.",
                initial=self.instance.case.reference if getattr(self.instance, "case_id", None) else "")
        if kind.has_cases:
            self.fields["case_references"] = forms.CharField(
                label="Linked cases (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Case references, one a line. Only people who may see a case see it here.")
            if self.instance.pk:
                self.fields["case_references"].initial = "\n".join(
                    self.instance.cases.values_list("reference", flat=True))
        if kind.has_document:
            self.fields["upload"] = forms.FileField(
                label="Document (optional)", required=False,
                help_text="A PDF, Word, Excel or text file, 10 MB or smaller. It is kept private.")
        if self.instance.pk:
            self.initial["version"] = getattr(self.instance, "version", None)
        self.helper = gds_helper(self, "Save")

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload:
            error, _ = check_upload(upload)
            if error:
                raise forms.ValidationError(error)
        return upload

    def clean_case_reference(self) -> Any:
        ref = self.cleaned_data.get("case_reference", "").strip().upper()
        if not ref:
            return None
        case = self.visible_cases.filter(reference=ref).first() if self.visible_cases is not None else None
        if case is None:
            raise forms.ValidationError(f"There is no case {ref} that you may see. Check the reference")
        return case

    def clean_case_references(self) -> Any:
        refs = _references(self.cleaned_data.get("case_references", ""))
        found = {c.reference: c for c in self.visible_cases.filter(reference__in=refs)} if refs else {}
        missing = [r for r in refs if r not in found]
        if missing:
            raise forms.ValidationError(f"There is no case {', '.join(missing)} that you may see. Check the references")
        return list(found.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # Django returns cleaned_data (the stubs say "or None")
        if "staff_sign_off" in self.fields and data.get("staff_sign_off"):
            from .models import Policy

            other = Policy.objects.for_org(self.org).filter(staff_sign_off=True).exclude(pk=self.instance.pk).first()
            if other is not None:
                self.add_error("staff_sign_off", f"\u201c{other.title}\u201d is already the policy staff sign. "
                                                 "Change that policy first")
        for start, end, message in (("period_start", "period_end", "The end must be on or after the start"),
                                    ("received_on", "response_due_on", "The response must be due on or after the date received")):
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, message)
        return data

    def _post_clean(self) -> None:
        # The action assigns and validates; only model-level checks that need no organisation run here.
        self.instance.organisation_id = self.org.pk
        super()._post_clean()  # type: ignore[misc]


def form_for(kind: Kind) -> type[RecordForm]:
    return forms.modelform_factory(kind.model, form=RecordForm, fields=kind.fields)  # type: ignore[return-value]
