"""Tests of the Python runtime harness (``python/parascope_harness``); run from the repository root:

    python -m unittest discover -s test/python -t .
"""
