"""The guidance as checks: rules that JSON Schema cannot state, policy settings, working days."""
