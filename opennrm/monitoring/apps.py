from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "opennrm.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"
