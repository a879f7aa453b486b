"""Reading a policy file: safe YAML, layering, the JSON Schema, the registry, the loader."""
