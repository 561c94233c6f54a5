from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "opennrm.core"
    label = "core"
    verbose_name = "Core: people, organisations, territories"

    def ready(self) -> None:
        from opennrm.core import signals  # noqa: F401  (audit of administration changes)
