"""Benchmarks that print their figures, and the FAQ evaluation sets they read."""
