"""What docfetch knows about documents: metadata, obsolescence notes, info, search."""
