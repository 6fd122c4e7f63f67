"""The test suite; conftest.py holds the fixtures every package shares."""
