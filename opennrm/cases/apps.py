from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "opennrm.cases"
    label = "cases"
    verbose_name = "Case files: persons, cases, consent, sharing"

    def ready(self) -> None:
        from opennrm.cases.evidence import rotate_files
        from opennrm.crypto.rotation import register_file_rotation

        # Documents attached to cases are sealed with the field keys: rotated with them.
        register_file_rotation("cases.evidence", rotate_files)
