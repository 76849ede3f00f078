"""Refuse interpreters older than 3.8 with one clear line and exit code 122.

Written in syntax that Python 2.7 and 3.0-3.7 can parse: this module is imported
before anything else, precisely so that old interpreters reach it.
"""
import sys

EXIT_TOO_OLD = 122


def require_supported_python():
    """Exit with 122 unless this interpreter is CPython-compatible 3.8 or newer."""
    if sys.version_info < (3, 8):
        version = "%d.%d.%d" % tuple(sys.version_info[:3])
        sys.stderr.write(
            "parascope: Python %s is not supported; Parascope needs Python 3.8 or newer (%s)\n"
            % (version, sys.executable))
        sys.stderr.flush()
        sys.exit(EXIT_TOO_OLD)
