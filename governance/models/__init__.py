"""Governance records, split by subject; import them from here."""

from .actions import ActionSource, FollowUpAction
from .audits import DEFAULT_QUESTIONS, AuditedCase, AuditFinding, AuditQuestion, AuditRound, month_failures
from .common import ActionStatus
from .learning import Complaint, Lesson, LessonSource, NearMiss
from .meetings import Attendance, Frequency, Group, GroupMember, Meeting
from .policies import LIVE_POLICY_STATUSES, Policy, PolicyKind, PolicyStatus, PolicyVersion
from .reviews import CaseReview, ReviewRecommendation
from .suppliers import Supplier
from .workplan import Outcome, PlanAction, ProgressNote

__all__ = [
    "DEFAULT_QUESTIONS", "LIVE_POLICY_STATUSES", "ActionSource", "ActionStatus", "Attendance", "AuditFinding",
    "AuditQuestion", "AuditRound", "AuditedCase", "CaseReview", "Complaint", "FollowUpAction", "Frequency", "Group",
    "GroupMember", "Lesson", "LessonSource", "Meeting", "NearMiss", "Outcome", "PlanAction", "Policy", "PolicyKind",
    "PolicyStatus", "PolicyVersion", "ProgressNote", "ReviewRecommendation", "Supplier", "month_failures",
]
