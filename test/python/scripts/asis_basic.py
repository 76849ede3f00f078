"""Prints what a script can observe about how it was started; echoes stdin."""
import sys

import __main__

print("argv", sys.argv)
print("file", __file__)
print("path0", sys.path[0])
print("name", __name__, __main__ is sys.modules["__main__"], sys.modules["__main__"].__dict__ is globals())
print("spec", __spec__, "package", __package__, "cached", __cached__)
print("loader", type(__loader__).__name__, getattr(__loader__, "name", None))
print("builtins", type(__builtins__).__name__)
print("annotations" in dir(), sorted(k for k in globals() if k.startswith("__")))
data = sys.stdin.read()
print("stdin", repr(data))
sys.stderr.write("to stderr\n")
