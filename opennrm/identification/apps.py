from django.apps import AppConfig


class IdentificationConfig(AppConfig):
    name = "opennrm.identification"
    label = "identification"
    verbose_name = "Formal identification"

    def ready(self) -> None:
        from opennrm.cases import hooks
        from opennrm.identification.services import FILE_UPDATES

        hooks.register_file_listener(FILE_UPDATES)
