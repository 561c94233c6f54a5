"""Health endpoints for the load balancer and monitoring (no personal data, no session)."""
