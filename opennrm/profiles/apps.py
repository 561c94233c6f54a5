from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "opennrm.profiles"
    label = "profiles"
    verbose_name = "Jurisdiction profiles"

    def ready(self) -> None:
        # Validate the active profile at start: a malformed profile stops the instance at once.
        from opennrm.profiles.loader import active_profile

        active_profile()
