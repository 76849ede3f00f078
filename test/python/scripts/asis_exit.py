"""Exits with a status of its own after printing to both streams."""
import sys

print("out")
print("err", file=sys.stderr)
sys.exit(3)
