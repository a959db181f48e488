"""JSON API v1: read-only catalogue and search for supermarket systems and other clients."""
