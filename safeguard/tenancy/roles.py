"""The roles of DOMAIN.md, and what a membership's role grants mean."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Role(models.TextChoices):
    FRONTLINE = "frontline", "Frontline officer"
    CASE_OFFICER = "case_officer", "Case officer"
    CASE_MANAGER = "case_manager", "Case manager"
    NSO = "nso", "Named Senior Officer"
    DSL = "dsl", "Designated Safeguarding Lead"
    SAFEGUARDING_MANAGER = "safeguarding_manager", "Safeguarding Manager"
    REGISTER_ADMIN = "register_admin", "Register administrator"
    DATA_PRIVACY_MANAGER = "data_privacy_manager", "Data Privacy Manager"
    PEOPLE_DIRECTOR = "people_director", "People and Culture Director"
    HR_LD = "hr_ld", "Learning and Development / HR"
    BOARD_MEMBER = "board_member", "Board member"
    ORG_ADMIN = "org_admin", "Organisation administrator"


ALL_ROLES: tuple[str, ...] = tuple(Role.values)

# Roles that may be limited to areas and/or departments.
SCOPABLE_ROLES = {Role.CASE_OFFICER, Role.CASE_MANAGER, Role.NSO, Role.DSL, Role.REGISTER_ADMIN}


@dataclass(frozen=True)
class Grant:
    """One role held, limited to areas/departments (None means all of them)."""

    role: str
    area_ids: frozenset[int] | None
    department_ids: frozenset[int] | None

    def covers(self, *, area_id: int | None = None, department_id: int | None = None) -> bool:
        if self.area_ids is not None and area_id not in self.area_ids:
            return False
        return not (self.department_ids is not None and department_id not in self.department_ids)
