from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "opennrm.crypto"
    label = "crypto"
    verbose_name = "Encryption at rest and blind indexes"

    def ready(self) -> None:
        from opennrm.crypto.keys import check_configuration

        # Fails at start (every manage.py command, gunicorn, the worker) with an error naming
        # the missing or malformed variable, rather than at the first read of a person.
        check_configuration()
