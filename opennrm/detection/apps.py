from django.apps import AppConfig


class DetectionConfig(AppConfig):
    name = "opennrm.detection"
    label = "detection"
    verbose_name = "Detection and preliminary identification"
