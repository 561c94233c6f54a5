"""Sign-in through ProConnect, the identity federation of French public agents (ADR 0016)."""
