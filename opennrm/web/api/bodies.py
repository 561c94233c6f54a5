"""What the API accepts as a request body: JSON, within Django's size limit.

Checked before ninja or its CSRF check reads anything, so that any other body gets a 4xx in JSON
rather than a server error: a multipart or form body read by the CSRF check (request.POST) can
no longer be read as JSON (RawPostDataException, a 500), and a body over
DATA_UPLOAD_MAX_MEMORY_SIZE raised RequestDataTooBig (Django's HTML 400 page).
"""

from django.conf import settings
from django.http import HttpRequest

# Methods whose body an operation may read.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_TYPES = frozenset({"application/json"})

NOT_JSON = "The body must be JSON, sent with Content-Type: application/json."
BAD_LENGTH = "Content-Length is not a number of bytes."


def too_large(limit: int) -> str:
    return f"The body is too large: at most {limit} bytes."


def body_refusal(request: HttpRequest) -> tuple[int, str] | None:
    """(status, message) when the request's body cannot be an operation's JSON, else None."""
    if request.method not in BODY_METHODS:
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400, BAD_LENGTH
    if length < 0:
        return 400, BAD_LENGTH
    if length == 0:
        return None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        return 413, too_large(limit)
    content_type = (request.content_type or "").lower()
    if content_type not in JSON_TYPES and not content_type.endswith("+json"):
        return 415, NOT_JSON
    return None
