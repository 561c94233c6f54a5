from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "opennrm.outbox"
    label = "outbox"
    verbose_name = "Outbox: e-mails waiting to be delivered"
