"""The desktop window (Qt only; every edit goes through :class:`annotator.core.Project`)."""
