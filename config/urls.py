from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from opennrm.web.api import api
from opennrm.web.public import views as public

# The admin signs in through allauth, so MFA applies there too.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("opennrm.web.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = public.bad_request
handler404 = public.not_found
handler403 = public.forbidden
handler500 = public.server_error
