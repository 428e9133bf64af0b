"""One mechanism for long work: imports, exports and reports (see docs/ENGINEERING.md, "Background jobs")."""
