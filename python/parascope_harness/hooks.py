"""Post-import hooks: patch a module the moment it is first imported, not before.

The harness patches ``multiprocessing`` and ``concurrent.futures``, but a script
that never imports them must not pay for importing them (tens of milliseconds).
``when_imported(name, fn)`` runs ``fn(module)`` right after ``name``'s body has
run, before the ``import`` statement that loaded it returns - so
``from concurrent.futures import ProcessPoolExecutor`` done later by the script
still gets the patched class. A module that is already imported is patched at once.

A finder placed first on ``sys.meta_path`` answers only for the watched names:
it asks the other finders for the real spec and wraps its loader for one
``exec_module``; the module's ``__loader__`` and ``__spec__.loader`` are the real
loader again before its body runs. Each hook runs once; a failing hook is
reported and the import goes on.
"""
import sys

_hooks = {}


def when_imported(name, fn):
    """Run ``fn(module)`` once ``name`` is imported (at once if it already is)."""
    module = sys.modules.get(name)
    if module is not None and not _initializing(module):
        _run(fn, module)
        return
    _hooks.setdefault(name, []).append(fn)
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def _initializing(module):
    spec = getattr(module, "__spec__", None)
    return bool(getattr(spec, "_initializing", False))


def _run(fn, module):
    try:
        fn(module)
    except Exception as exc:
        from parascope_harness import events
        events.internal_error("patching %s failed: %r" % (getattr(module, "__name__", "?"), exc))


class _Finder:
    """First on ``sys.meta_path``; only the watched module names get a (wrapped) spec."""

    def find_spec(self, fullname, path, target=None):
        if fullname not in _hooks:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        spec.loader = _Loader(loader, fullname)
        return spec

    def invalidate_caches(self):
        pass


class _Loader:
    """Runs the real loader's ``exec_module``, then the hooks of that module."""

    def __init__(self, loader, name):
        self._loader = loader
        self._name = name

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        loader = self._loader
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.loader is self:
            spec.loader = loader
        if getattr(module, "__loader__", None) is self:
            module.__loader__ = loader
        loader.exec_module(module)
        for fn in _hooks.pop(self._name, ()):
            _run(fn, module)
        if not _hooks and _finder in sys.meta_path:
            sys.meta_path.remove(_finder)

    def __getattr__(self, name):
        return getattr(self._loader, name)


_finder = _Finder()
