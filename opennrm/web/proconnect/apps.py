from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    """ProConnect as a django-allauth provider (allauth finds `provider.py` in installed apps)."""

    name = "opennrm.web.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"
