"""Absolute links for e-mails, the same from a page, a job or a command."""

from django.conf import settings


def base_url() -> str:
    """Where OpenNRM is served: `OPENNRM_BASE_URL`, else https on the first allowed host."""
    configured: str = getattr(settings, "OPENNRM_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    host = next((h for h in settings.ALLOWED_HOSTS if h and h != "*"), "localhost")
    return f"https://{host.lstrip('.')}"


def absolute_url(path: str) -> str:
    """`path` (from `reverse`) on the instance's base URL."""
    return f"{base_url()}/{path.lstrip('/')}"
