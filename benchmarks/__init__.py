"""Reproducible benchmarks; each module measures a baseline in the same run."""
