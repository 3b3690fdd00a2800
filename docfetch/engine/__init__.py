"""Fetching: choosing sources, downloading, validating, staged writes, concurrency."""
