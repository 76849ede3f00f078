"""``python -m parascope_harness [options] [--] SCRIPT [ARGS...]``.

Python-2-safe up to the version check: the real entry point is imported only
after ``require_supported_python`` has accepted the interpreter.
"""
from parascope_harness import _version_check

_version_check.require_supported_python()

from parascope_harness import cli  # noqa: E402  (imported after the version check on purpose)

cli.main()
