"""The one progress page of background jobs and its "Try again" button, for each kind of job."""

from __future__ import annotations

from safeguard.background.models import BackgroundJob
from safeguard.tenancy.roles import Role
from training.access import MANAGE

from . import UrlCase
from .registers import _export as _register_export
from .registers import _only_sm
from .training import _export as _training_export
from .training import _import


def _failed(prepare):
    def make(w):
        kwargs = prepare(w)
        BackgroundJob.all_orgs.filter(pk=kwargs["pk"]).update(status=BackgroundJob.Status.FAILED, message="Broken")
        return kwargs

    return make


def _hr_only(w, role):
    return role == Role.HR_LD


# Only who may see a job's kind sees it; for anyone else it does not exist (404).
CASES = [
    UrlCase("background:job", prepare=_training_export, object_of_org=True, denied=404, allowed_for=_hr_only,
            id="background:job:training-export"),
    UrlCase("background:job", prepare=_import, object_of_org=True, denied=404, allowed=frozenset(MANAGE),
            id="background:job:training-import"),
    UrlCase("background:job", prepare=_register_export, object_of_org=True, denied=404, allowed_for=_only_sm,
            id="background:job:register-export"),
    UrlCase("background:retry", method="post", prepare=_failed(_training_export), object_of_org=True, denied=404,
            allowed_for=_hr_only, id="background:retry:training-export"),
    UrlCase("background:retry", method="post", prepare=_failed(_import), object_of_org=True, denied=404,
            allowed=frozenset(MANAGE), id="background:retry:training-import"),
    UrlCase("background:retry", method="post", prepare=_failed(_register_export), object_of_org=True, denied=404,
            allowed_for=_only_sm, id="background:retry:register-export"),
]
