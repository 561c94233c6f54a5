"""The project's URLs plus views that fail on purpose, for the logging tests."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


class IdentityStoreError(RuntimeError):
    pass


def failing_identity_view(request: HttpRequest) -> HttpResponse:
    """Like a view saving a person's identity whose database write fails, quoting the value."""
    family_name = request.POST.get("family_name", "")
    try:
        raise ValueError(f"duplicate key value (family_name)=({family_name})")
    except ValueError as exc:
        raise IdentityStoreError(f"could not save {family_name}") from exc


urlpatterns = [
    path("failing/identity/", failing_identity_view),
    path("", include("config.urls")),
]
