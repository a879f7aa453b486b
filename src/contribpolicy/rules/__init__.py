"""The built-in rule kinds, one module each, registered through our own entry points.

Nothing here is imported by the engine directly: ``pyproject.toml`` names each module's ``KIND``
under ``contribpolicy.rule_kinds``, exactly as a third-party package would.
"""
