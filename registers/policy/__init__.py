"""The rules of registers, each written once: ``access`` (which role sees and works which
register, and how an override changes that) and ``review`` (the monthly update and review).
Imports models and the core only."""
