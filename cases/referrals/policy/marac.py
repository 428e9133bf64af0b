"""When a MARAC referral is prompted (domestic abuse: SafeLives DASH guidance).

* A DASH assessment scoring ``DASH_HIGH_RISK`` (14) or more of the 24 questions;
* or a third concern (``REPEAT_THRESHOLD``) about the same person within ``REPEAT_WINDOW`` (12 months).

A prompt is shown, and its officer told, while the case has one and no MARAC referral is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable

from dateutil.relativedelta import relativedelta

from cases.models import Case

from ..models import Agency, MaracPrompt, Referral

DASH_HIGH_RISK = 14
REPEAT_WINDOW = relativedelta(months=12)
REPEAT_THRESHOLD = 3


def dash_is_high_risk(score: int) -> bool:
    return score >= DASH_HIGH_RISK


def prompts_shown(prompts: list[MaracPrompt], referrals: Iterable[Referral]) -> list[MaracPrompt]:
    """The prompts still to show, given the case's prompts and referrals (already fetched)."""
    return [] if any(r.agency == Agency.MARAC for r in referrals) else prompts


def marac_prompt_due(case: Case) -> bool:
    return case.marac_prompts.exists() and not case.referrals.filter(agency=Agency.MARAC).exists()
