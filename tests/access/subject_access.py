"""Subject access, rectification and erasure requests (issue 14): the Data Privacy Manager only. The list and
the form say who can (403); a request's own pages do not confirm it exists (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.tenancy.roles import Role

from . import UrlCase

DPM = frozenset({Role.DATA_PRIVACY_MANAGER})


def _request(w, kind: str = "access"):
    from governance.subject_access import actions

    req = actions.do_record_request(
        w.org,
        {
            "kind": kind,
            "requester_name": "Gale Tester",
            "subject_name": "Gale Tester",
            "received_on": date(2026, 11, 20),
        },
        acting_user=w.members[Role.DATA_PRIVACY_MANAGER],
    )
    return req


def _found(w):
    from governance.subject_access import actions
    from governance.subject_access.models import FoundRecord
    from tests.registers.helpers import make_case

    make_case(w, name="Gale Tester")
    req = _request(w)
    actions.do_find_records(req, acting_user=w.members[Role.DATA_PRIVACY_MANAGER])
    found = FoundRecord.objects.for_org(w.org).filter(request=req).first()
    return req, found


def _found_kwargs(w):
    req, found = _found(w)
    return {"pk": req.pk, "found_pk": found.pk}


def _redaction(w):
    from governance.subject_access import actions

    req, found = _found(w)
    redaction = actions.do_redact(
        found,
        part="what_happened",
        phrase="",
        reason="third party",
        acting_user=w.members[Role.DATA_PRIVACY_MANAGER],
    )
    return {"pk": req.pk, "found_pk": found.pk, "redaction_pk": redaction.pk}


def _pack(w):
    from django.core.files.base import ContentFile

    from governance.subject_access.actions import PACK
    from safeguard.background.runner import create_job

    req = _request(w)
    job = create_job(
        org=w.org, kind=PACK, requested_by=w.members[Role.DATA_PRIVACY_MANAGER], params={"request_id": req.pk}
    )
    job.status = "done"
    job.file.save("p.pdf", ContentFile(b"%PDF-1.4"), save=False)
    job.save()
    return {"pk": req.pk, "job_pk": job.pk}


def _pk(kind: str = "access"):
    return lambda w: {"pk": _request(w, kind).pk}


OBJ: dict[str, Any] = {"allowed": DPM, "object_of_org": True, "denied": 404}

CASES = [
    UrlCase("subject_access:list", allowed=DPM),
    UrlCase("subject_access:add", allowed=DPM),
    UrlCase("subject_access:detail", prepare=_pk(), **OBJ),
    UrlCase("subject_access:edit", prepare=_pk(), **OBJ),
    UrlCase("subject_access:find", method="post", prepare=_pk(), **OBJ),
    UrlCase("subject_access:found", prepare=_found_kwargs, **OBJ),
    UrlCase("subject_access:remove-redaction", method="post", prepare=_redaction, **OBJ),
    UrlCase("subject_access:pack", method="post", prepare=_pk(), **OBJ),
    UrlCase("subject_access:download", prepare=_pack, **OBJ),
    UrlCase("subject_access:decide", prepare=_pk("erasure"), **OBJ),
    UrlCase("subject_access:rectify", prepare=_pk("rectification"), **OBJ),
]
