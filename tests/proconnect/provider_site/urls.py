from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from tests.proconnect.provider_site import views

# ProConnect's addresses start with /api/v2/. The ProConnect-like views come first, at the
# paths django-oidc-provider's discovery document names.
urlpatterns = [
    re_path(r"^api/v2/authorize/?$", views.ProConnectAuthorizeView.as_view()),
    re_path(r"^api/v2/userinfo/?$", views.signed_userinfo),
    re_path(r"^api/v2/end-session/?$", views.ProConnectEndSessionView.as_view()),
    path("api/v2/", include("oidc_provider.urls", namespace="oidc_provider")),
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("test/client-uris/", views.register_client_uris),
]
