"""Helpers below everything: atomic writes, text tables, JSON-ready values, the version."""
