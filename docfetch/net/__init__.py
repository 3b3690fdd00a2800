"""The network: one HTTP session per run, retries, redirects, limits."""
