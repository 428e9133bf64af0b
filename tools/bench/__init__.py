"""The scale benchmark: a set-based data generator and a measuring run (see docs/performance.md)."""
