from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    name = "opennrm.identification"
    label = "identification"
    verbose_name = "Formal identification"
