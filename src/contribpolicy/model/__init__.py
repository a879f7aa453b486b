"""The policy's values: no YAML, no NumPy; what the loader builds and the engine evaluates."""
