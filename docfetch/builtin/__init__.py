"""Sources built into the core package."""
