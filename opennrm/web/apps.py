from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "opennrm.web"
    label = "web"
    verbose_name = "Web interface"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from opennrm.web import signals  # noqa: F401  (audit of sign-in events)
        from opennrm.web.security import stamp_activity_at_login

        user_logged_in.connect(stamp_activity_at_login, dispatch_uid="opennrm.web.idle_timeout")

        from opennrm.web.error_reporting import configure_from_settings

        configure_from_settings()  # optional error reporting: off unless SENTRY_DSN is set
