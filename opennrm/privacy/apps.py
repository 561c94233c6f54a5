from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "opennrm.privacy"
    label = "privacy"
    verbose_name = "Data protection: exceptional access, retention, the person's rights"

    def ready(self) -> None:
        from opennrm.cases import hooks
        from opennrm.privacy.case_file import ACCESS_POLICY, RETENTION_CLOCK

        hooks.register_access_policy(ACCESS_POLICY)
        hooks.register_closure_listener(RETENTION_CLOCK)
