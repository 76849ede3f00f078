"""Entry point of the loader that spawn/forkserver children run from their preparation data.

It runs before the child re-imports the main module (as ``__mp_main__``) and before
the Process object is unpickled, so the child's own pools and processes are
instrumented too. A failure here must never stop the child: it runs unprofiled.
"""


def bootstrap(config_json, role, pool_id):
    try:
        from parascope_harness import install
        install.install_child(config_json, role, pool_id)
    except Exception as exc:  # never let the harness break the user's child process
        import sys
        sys.stderr.write("parascope: internal error: child setup failed: %r\n" % (exc,))
