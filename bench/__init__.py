"""Benchmarks: scripts that measure, run by `make bench`, never part of `make test`."""
