from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "opennrm.indicators"
    label = "indicators"
    verbose_name = "Indicator catalogue"

    def ready(self) -> None:
        # Validate the shipped catalogues at start: a malformed one stops the instance at once.
        from opennrm.indicators.catalogue import available_versions, load_catalogue

        for version in available_versions():
            load_catalogue(version)
