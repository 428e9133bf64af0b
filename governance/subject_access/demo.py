"""Demo data: one subject access request, from a demo tenant on a demo case, with the records found, each
marked to disclose, and one redaction of third-party information. Idempotent; every person is invented."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from cases.models import CasePerson
from safeguard.tenancy.demo import DemoOrg, local_names, seeder
from safeguard.tenancy.roles import Role

from . import actions
from .models import FoundRecord, Kind, Mark, Request, Source

SUBJECT = "Dana Whitcombe"  # the first demo case (cases/demo.py)
REDACTED = "She saw a man leave at 23:40 and slam the door."
REASON = "third party: information about another person"


@seeder(97)
def seed_requests(demo: DemoOrg) -> None:
    org, dpm = demo.org, demo.people.get(Role.DATA_PRIVACY_MANAGER)
    if dpm is None or Request.objects.for_org(org).exists():
        return
    name = local_names(demo, SUBJECT)
    person = CasePerson.objects.for_org(org).filter(full_name=name).select_related("case").first()
    if person is None:
        return
    today = timezone.localdate()
    req = actions.do_record_request(
        org,
        {
            "kind": Kind.ACCESS,
            "requester_name": name,
            "subject_name": name,
            "subject_tenancy_reference": person.tenancy_reference,
            "subject_case_person": person,
            "details": "A copy of everything you hold about me.",
            "received_on": today - timedelta(days=12),
            "identity_verified_on": today - timedelta(days=10),
            "identity_method": "Photo ID seen at the office",
        },
        acting_user=dpm,
    )
    actions.do_find_records(req, acting_user=dpm)
    for found in FoundRecord.objects.for_org(org).filter(request=req).select_related("request__organisation"):
        actions.do_mark(found, mark=Mark.INCLUDE, reason="", acting_user=dpm)
        if found.source == Source.CASE and found.case_id == person.case_id:
            text = local_names(demo, REDACTED)
            if text in found.case.what_happened:  # type: ignore[union-attr]
                actions.do_redact(found, part="what_happened", phrase=text, reason=REASON, acting_user=dpm)
