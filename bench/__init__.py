"""Benchmarks of newskg: `python -m bench` (see bench/run.py and bench/RESULTS.md)."""
