"""Cases: list, creation (direct detection), the case page, identity, details, closure."""
