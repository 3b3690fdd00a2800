"""The plugin system: hook specifications, the Source API, the host, and the built-in ietf source."""
