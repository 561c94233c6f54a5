from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "opennrm.privacy"
    label = "privacy"
    verbose_name = "Data protection: exceptional access, retention, the person's rights"
