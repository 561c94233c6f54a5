from django.apps import AppConfig


class ProtocolConfig(AppConfig):
    name = "opennrm.protocol"
    label = "protocol"
    verbose_name = "Protocol (standard operating procedures)"
