"""Benchmarks that print figures (``qunbot bench``); they measure and assert nothing."""
