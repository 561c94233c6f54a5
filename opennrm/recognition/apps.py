from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "opennrm.recognition"
    label = "recognition"
    verbose_name = "Recognition of authorised reporters"
