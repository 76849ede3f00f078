"""Parascope runtime harness: runs a Python script under a chosen pool and records what it does.

This file must stay importable by Python 2 and by Python 3 before 3.8, so that
``python2 -m parascope_harness`` reaches the version check in ``__main__`` and
exits with a clear message instead of a SyntaxError. Keep it free of modern syntax.
"""

__version__ = "0.1.0"
