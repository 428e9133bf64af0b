"""Retention schedules, review before destruction and legal holds (issue 14), owned by the Data Privacy Manager."""
