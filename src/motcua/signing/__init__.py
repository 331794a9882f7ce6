"""Digital signatures: signer certificates, PAdES signing and verification of results."""
