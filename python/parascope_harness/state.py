"""Process-wide harness state: the run's config (None when the harness is not installed)."""
config = None
