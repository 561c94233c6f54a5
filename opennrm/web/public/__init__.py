"""Public pages (no account): home, legal notice, the public directory, the error pages."""
