"""Governance pages, by subject."""
