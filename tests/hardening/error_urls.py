"""The application's URLs and a page that fails quoting personal data (error reporting tests)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as application


@csrf_exempt
@login_not_required
def failing(request: HttpRequest) -> HttpResponse:
    born = request.POST.get("born")
    raise ValueError(f"No case for {request.POST.get('family_name')} born {born}")


urlpatterns = [*application, path("failing/", failing)]
