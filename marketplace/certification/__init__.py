"""OCOP certificates and rights to use a GI or mark: the producer submits them, an administrator
verifies, rejects or revokes them, and the producer is reminded before a certificate expires."""
