from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "opennrm.core"
    label = "core"
    verbose_name = "Core: people, organisations, territories"

    def ready(self) -> None:
        from opennrm.core import signals  # noqa: F401  (audit of administration changes)
        from opennrm.core.jobs import connect_signals

        connect_signals()  # the heartbeat of jobs run by db_worker
