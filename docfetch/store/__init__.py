"""What is kept on disk: the cache layout, cached documents, locks, the RFC index and its database."""
