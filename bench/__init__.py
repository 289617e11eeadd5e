"""Benchmarks of the data platform; see docs/performance.md for their figures."""
