"""The rules of referrals, each written once: ``deadlines`` (when an alert must be made, when a
response is overdue) and ``marac`` (when a MARAC referral is prompted). Imports models and the
core only."""
