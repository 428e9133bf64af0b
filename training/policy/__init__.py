"""The rules of training records, written once: ``compliance`` (the states of a requirement and
which DBS levels satisfy which). Imports models and the core only."""
